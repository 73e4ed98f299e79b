"""SMS and WeChat notifications through an HTTP gateway (an example integration plugin).

Each channel posts JSON ``{"channel", "to", "subject", "text"}`` to its configured URL
with ``Authorization: Bearer XS_GATEWAY_TOKEN``; any answer but 2xx is a failure,
which the outbox retries. Settings: ``XS_SMS_GATEWAY_URL``, ``XS_WECHAT_GATEWAY_URL``,
``XS_GATEWAY_TOKEN``. Enable the plugin where the town has a gateway contract.
"""

import json

from flask import current_app

from core.toolkit import (
    Channel,
    _l,
    hookimpl,
    post,
)

__version__ = "1.0.0"
__title__ = _l("SMS gateway")
__description__ = _l("Sends notices and messages as SMS through the deployment's message gateway.")


class GatewayError(RuntimeError):
    pass


def _poster(channel, setting):
    def send(recipient, subject, body):
        url = current_app.config.get(setting)
        if not url:
            raise GatewayError(f"{setting} is not set")
        data = json.dumps({"channel": channel, "to": recipient, "subject": subject,
                           "text": body}, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "Authorization": f"Bearer {current_app.config.get('XS_GATEWAY_TOKEN', '')}"}
        post(url, data, headers, fail=GatewayError, who="gateway")
    return send


@hookimpl
def xs_register_notification_channels(jurisdiction):
    return [
        Channel(name="sms", address="phone", send=_poster("sms", "XS_SMS_GATEWAY_URL")),
        Channel(name="wechat", address="phone", send=_poster("wechat", "XS_WECHAT_GATEWAY_URL")),
    ]
