"""Settings classes. Environment variables are read once, when this module is imported."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# A well-known development key: the production config refuses to start with it.
DEV_SECRET_KEY = "dev-only-insecure-key-change-me"
MIN_SECRET_BYTES = 32


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'supermarket.db'}"
    # psycopg 3 is the PostgreSQL driver; accept the plain scheme too.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
    # Keyed hashes of ID-card numbers use their own secret so rotating SECRET_KEY
    # (sessions) does not orphan every stored hash.
    PII_HASH_KEY = os.environ.get("PII_HASH_KEY") or SECRET_KEY
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "15000"))

    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 12 * 3600
    WTF_CSRF_TIME_LIMIT = None  # a till page stays open all shift
    # How long (hours since its last contact with the server) and how many sales a tablet may sell offline.
    OFFLINE_MAX_HOURS = int(os.environ.get("OFFLINE_MAX_HOURS", "8"))
    OFFLINE_MAX_SALES = int(os.environ.get("OFFLINE_MAX_SALES", "300"))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(5 * 1024 * 1024)))

    INTAKE_PHOTO_MAX_BYTES = int(os.environ.get("INTAKE_PHOTO_MAX_BYTES", str(2 * 1024 * 1024)))
    INVENTORY_PHOTO_MAX_BYTES = int(os.environ.get("INVENTORY_PHOTO_MAX_BYTES", str(2 * 1024 * 1024)))
    # The site as the public reaches it: the donation receipt's QR code opens {PUBLIC_BASE_URL}/public/trace/….
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Monthly disclosures are due by this day of the next month (standard F-04, A-05).
    DISCLOSURE_DUE_DAY = int(os.environ.get("DISCLOSURE_DUE_DAY", "10"))

    PASSWORD_HASH_METHOD = "scrypt"
    API_TOKEN_TTL_HOURS = int(os.environ.get("API_TOKEN_TTL_HOURS", str(24 * 30)))
    # Failed logins within the window slow an account (or an address) down.
    LOGIN_FAILURE_WINDOW_S = 15 * 60
    LOGIN_MAX_FAILURES_PER_USER = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "30 per minute")


class DevConfig(Config):
    pass


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    PII_HASH_KEY = "test-pii-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    WTF_CSRF_ENABLED = False
    # Fast hashes keep a suite that creates hundreds of users quick.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    RATELIMIT_ENABLED = False


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # No fallback to SECRET_KEY: rotating the session key must never change every stored ID-number hash.
    PII_HASH_KEY = os.environ.get("PII_HASH_KEY")
    # Per gunicorn worker; PostgreSQL only (SQLite ignores pools).
    DB_POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", "10"))
    # The login limiter's counts must be shared by every worker (Redis). Turning it off (RATELIMIT_ENABLED=0) is
    # allowed: the database login throttle (LOGIN_MAX_FAILURES_*) still guards every account and address.
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1").lower() not in ("0", "false", "no")

    @classmethod
    def problems(cls, config) -> list[str]:
        """What is wrong with a production configuration, each saying what to set."""
        found = []
        key = config.get("SECRET_KEY")
        if not key or key == DEV_SECRET_KEY or len(str(key).encode()) < MIN_SECRET_BYTES:
            found.append("SECRET_KEY must be set in the environment to a random secret of at least "
                         f"{MIN_SECRET_BYTES} bytes (python -c 'import secrets; print(secrets.token_urlsafe(48))')")
        pii = config.get("PII_HASH_KEY")
        if not pii or len(str(pii).encode()) < MIN_SECRET_BYTES:
            found.append(f"PII_HASH_KEY must be set in the environment to a random secret of at least "
                         f"{MIN_SECRET_BYTES} bytes, kept stable (it keys the stored ID-number hashes)")
        elif pii == key:
            found.append("PII_HASH_KEY must differ from SECRET_KEY (rotating sessions must not orphan the hashes)")
        storage = str(config.get("RATELIMIT_STORAGE_URI") or "")
        if config.get("RATELIMIT_ENABLED", True) and not storage.startswith(("redis://", "rediss://")):
            found.append("RATELIMIT_STORAGE_URI must be a redis:// (or rediss://) URL shared by all workers, "
                         f"not {storage or 'unset'!r}; or set RATELIMIT_ENABLED=0 to rely on the database login "
                         "throttle alone")
        return found

    @classmethod
    def check(cls, config) -> None:
        """Refuse to start with a missing, short or development secret, or a limiter each worker counts alone."""
        found = cls.problems(config)
        if found:
            raise RuntimeError("Refusing to start in production:\n- " + "\n- ".join(found))


def config_from_env() -> str:
    """Which settings class `create_app()` uses when none is given (FLASK_CONFIG)."""
    name = os.environ.get("FLASK_CONFIG", "development").lower()
    return {
        "production": "config.ProductionConfig",
        "test": "config.TestConfig",
    }.get(name, "config.DevConfig")
