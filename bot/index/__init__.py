"""The index: corpus files → chunks and vectors → one writer committing manifests, readers on immutable snapshots."""
