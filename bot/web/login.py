"""The trainers' login in front of the 管理 area: a plain HTML form, a session cookie, a redirect.

The 管理 Gradio app is mounted with `auth_dependency=services.trainer_of`, so every page and every
Gradio API call under /manage without a live session is refused (401); a browser asking for the
page is sent to /login instead.
"""

import html
import logging
from urllib.parse import quote

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bot.errors import LecturerError
from bot.manage.accounts import COOKIE
from bot.web.services import Services

log = logging.getLogger(__name__)

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>培训师登录 · 渝工 AI 讲师</title>
<style>
body {{font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; background: #f5f6f8;
  margin: 0; display: flex; justify-content: center;}}
main {{background: #fff; margin-top: 12vh; padding: 28px 24px; border-radius: 10px; width: min(360px, 90vw);
  box-shadow: 0 1px 4px rgba(0,0,0,.08);}}
h1 {{font-size: 1.3em; margin: 0 0 16px;}} label {{display: block; margin: 12px 0 4px;}}
input {{width: 100%; box-sizing: border-box; font-size: 16px; padding: 10px; border: 1px solid #ccc; border-radius: 6px;}}
button {{margin-top: 18px; width: 100%; font-size: 16px; padding: 11px; border: 0; border-radius: 6px; background: #c0392b; color: #fff;}}
.error {{color: #b00020; margin: 8px 0 0;}} .hint {{color: #666; font-size: .9em; margin-top: 16px;}}
</style></head>
<body><main><h1>培训师登录</h1>
<form method="post" action="/login">
<input type="hidden" name="next" value="{next}">
<label for="name">用户名</label><input id="name" name="name" autocomplete="username" required value="{name}">
<label for="password">密码</label><input id="password" name="password" type="password" autocomplete="current-password" required>
{error}<button type="submit">登录</button></form>
<p class="hint">没有账号？请工会管理员运行 <code>python -m bot users add 您的名字</code> 为您创建。职工问答请回<a href="/">首页</a>。</p>
</main></body></html>"""


def safe_next(target: str | None) -> str:
    """Only a path inside the 管理 area: never an outside address to bounce a trainer to."""
    return target if target and target.startswith("/manage/") and "//" not in target and "\\" not in target else "/manage/"


def page(next_path: str = "/manage/", name: str = "", error: str = "", status: int = 200) -> HTMLResponse:
    error_html = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    body = PAGE.format(next=html.escape(safe_next(next_path)), name=html.escape(name), error=error_html)
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def install_login(app: FastAPI, services: Services) -> None:
    """/login, /logout, and the redirect of a browser without a session away from /manage."""
    accounts = services.accounts

    @app.get("/login", include_in_schema=False)
    def login_form(next: str = "/manage/") -> HTMLResponse:  # noqa: A002 - the query parameter's name
        return page(next)

    @app.post("/login", include_in_schema=False)
    def login(name: str = Form(""), password: str = Form(""), next: str = Form("/manage/")):  # noqa: A002
        try:
            done = accounts.login(name, password)
        except LecturerError as exc:
            log.error("login failed: %s", exc.detail)
            return page(next, name, exc.message, 503)
        if not done.token:
            log.info("failed trainer login")
            return page(next, name, done.message, 429 if "次数过多" in done.message else 401)
        log.info("trainer logged in: %s", done.name)
        response = RedirectResponse(safe_next(next), status_code=303)
        response.set_cookie(COOKIE, done.token, max_age=int(accounts.session.total_seconds()), httponly=True,
                            samesite="strict", secure=services.settings.secure_cookies, path="/")
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request) -> RedirectResponse:
        try:
            accounts.logout(request.cookies.get(COOKIE))
        except LecturerError as exc:
            log.warning("logout: %s", exc.detail)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    @app.middleware("http")
    async def to_login(request: Request, call_next):
        path = request.url.path
        if request.method == "GET" and path.rstrip("/") == "/manage":
            if services.trainer_of(request) is None:
                return RedirectResponse(f"/login?next={quote('/manage/')}", status_code=303)
            if path == "/manage":  # the address as people type it
                return RedirectResponse("/manage/", status_code=307)
        return await call_next(request)
