"""The public disclosure page: facilities under an obligation, their data, and ambient air (VN_AQI).

No login; an administrator switches it on (setting ``public.enabled``), otherwise
every page answers 404. Nothing private is shown.
"""

from flask import Blueprint

bp = Blueprint("public", __name__, url_prefix="/public")
