"""One HTTP session to a udata portal (data.gouv.fr or a replay server on localhost).

Only the base URL differs between production and tests, so the code path a test drives is
the one production runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from observatory import __version__
from observatory.datagouv.errors import DatagouvError

DEFAULT_URL = "https://www.data.gouv.fr"
USER_AGENT = f"observatoire-opsn/{__version__} (+https://github.com/; consolidation des déclarations OPSN)"
RETRY_STATUSES = (429, 500, 502, 503, 504)


@dataclass(frozen=True)
class ClientSettings:
    base_url: str = DEFAULT_URL
    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    retries: int = 5
    # urllib3 sleeps backoff_factor * 2**(n-1) between tries; tests shrink it to milliseconds.
    backoff_factor: float = 1.0
    retry_after_max: int = 300
    page_size: int = 100


class DatagouvClient:
    def __init__(self, settings: ClientSettings | None = None):
        self.settings = settings or ClientSettings()
        self.base_url = self.settings.base_url.rstrip("/")
        retry = Retry(
            total=self.settings.retries,
            connect=self.settings.retries,
            read=self.settings.retries,
            status=self.settings.retries,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET", "HEAD"}),
            backoff_factor=self.settings.backoff_factor,
            respect_retry_after_header=True,
            retry_after_max=self.settings.retry_after_max,
            # The last 5xx is returned, not raised, so the error can name its status.
            raise_on_status=False,
        )
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = USER_AGENT

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.settings.connect_timeout, self.settings.read_timeout)

    def api_url(self, path: str) -> str:
        return f"{self.base_url}/api/1/{path.lstrip('/')}"

    def get_json(self, url: str, params: dict | None = None) -> dict:
        try:
            response = self.session.get(url, params=params, timeout=self.timeout)
        except requests.RequestException as error:
            raise DatagouvError(url, f"portail injoignable ({error.__class__.__name__}: {error})") from error
        if response.status_code != 200:
            raise DatagouvError(response.url, "réponse inattendue", status=response.status_code, expected="200 JSON")
        try:
            return response.json()
        except ValueError as error:
            kind = response.headers.get("Content-Type", "?")
            raise DatagouvError(response.url, f"corps non JSON ({kind})", status=200, expected="JSON udata") from error

    def dataset(self, id_or_slug: str) -> dict:
        """`/api/1/datasets/{id_or_slug}/`: udata accepts a slug wherever an id is expected."""
        return self.get_json(self.api_url(f"datasets/{quote(id_or_slug, safe='')}/"))

    def datasets_by_schema(self, schema_name: str) -> Iterator[dict]:
        """Every dataset `?schema=` returns, following `next_page` to the end."""
        url: str | None = self.api_url("datasets/")
        params: dict | None = {"schema": schema_name, "page_size": self.settings.page_size}
        seen: set[str] = set()
        while url:
            page = self.get_json(url, params)
            for dataset in page.get("data", []):
                if dataset["id"] not in seen:
                    seen.add(dataset["id"])
                    yield dataset
            # next_page already carries the query string.
            url, params = page.get("next_page"), None

    def latest_url(self, resource_id: str) -> str:
        """The permanent redirect (302) to a resource's current file."""
        return self.api_url(f"datasets/r/{resource_id}")
