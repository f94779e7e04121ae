"""渝工 AI 讲师: a grounded, cited lecturer over model-worker stories and course material."""

__version__ = "0.1.0"
