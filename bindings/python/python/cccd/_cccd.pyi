"""Type stubs of the native module ``cccd._cccd`` (re-exported by ``cccd``)."""

import datetime
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

__version__: str
CSV_COLUMNS: List[str]
"""The columns of ``cccd parse --format csv`` (and of :func:`cccd.validate_arrow`)."""
MAX_PAYLOAD_LEN: int
"""The longest payload accepted, in bytes; longer is a ``too_long`` error."""

class ParseError(ValueError):
    """A payload that is not a card payload. The message never quotes the payload."""

    code: str
    """The JSON contract's error code: ``empty``, ``too_long``, ``encoding``, ``field_count``,
    ``id_number``, ``old_id_number``, ``full_name``, ``date_of_birth``, ``sex``, ``address``,
    ``issue_date``, ``extra_field``."""
    field: Optional[str]
    """The field the problem is in, or ``None`` (``empty``, ``too_long``, ``encoding``,
    ``field_count``)."""
    offset: int
    """Byte offset of the problem in the UTF-8 input."""
    reason: str
    """What exactly is wrong, as a stable code: ``empty``, ``too_long``, ``invalid_utf8``,
    ``field_count``, ``wrong_length``, ``not_a_digit``, ``empty_field``,
    ``control_or_format_char``, ``not_nfc``, ``month_out_of_range``, ``day_out_of_range``,
    ``year_zero``, ``not_a_sex``."""

class Card:
    """A parsed card. ``str(card)`` is the canonical payload; ``repr(card)`` is redacted."""

    @property
    def id_number(self) -> str: ...
    @property
    def old_id_number(self) -> Optional[str]: ...
    @property
    def full_name(self) -> str: ...
    @property
    def full_name_ascii(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def sex(self) -> str:
        """``"male"`` or ``"female"``."""
    @property
    def date_of_birth(self) -> datetime.date: ...
    @property
    def issue_date(self) -> datetime.date: ...
    @property
    def layout(self) -> str:
        """``"2021"`` or ``"2024"``."""
    @property
    def extra_fields(self) -> List[str]: ...
    @property
    def repairs(self) -> List[str]:
        """Repair codes applied by lenient parsing, in order."""
    def id_info(self) -> Dict[str, Any]:
        """The ``id_info`` object of :meth:`to_dict`."""
    def expiry(self) -> Dict[str, Any]:
        """The ``expiry`` object of :meth:`to_dict` (``date`` as ``YYYY-MM-DD`` or ``None``)."""
    def check(self, today: Optional[datetime.date] = None) -> List[Dict[str, str]]:
        """The ``warnings`` list of :meth:`to_dict` on ``today`` (default: the local date)."""
    def to_dict(self, today: Optional[datetime.date] = None) -> Dict[str, Any]:
        """The object ``cccd parse --format json --today TODAY`` prints for this card."""
    def __eq__(self, other: object) -> bool: ...

def parse(payload: Union[str, bytes, bytearray], /, *, lenient: bool = False) -> Card:
    """Parses one payload (strict unless ``lenient``). Raises :class:`ParseError` when it is
    not a card payload and ``TypeError`` when it is not ``str``/``bytes``."""

def validate(
    payloads: Iterable[Union[str, bytes]], /, *, lenient: bool = False, today: Optional[datetime.date] = None
) -> List[Dict[str, Any]]: ...
def _validate_arrow(
    offsets: bytes, data: bytes, offset: int, length: int, large: bool,
    lenient: bool = False, today: Optional[datetime.date] = None,
) -> List[Dict[str, Any]]: ...
def _validate_json(
    payloads: Iterable[Union[str, bytes]], /, *, lenient: bool = False, today: Optional[datetime.date] = None
) -> List[Dict[str, Any]]: ...
def _csv_columns(
    payloads: Iterable[Union[str, bytes]], lenient: bool = False, today: Optional[datetime.date] = None
) -> List[Tuple[bytes, bytes]]: ...
def _csv_columns_arrow(
    offsets: bytes, data: bytes, offset: int, length: int, large: bool,
    lenient: bool = False, today: Optional[datetime.date] = None,
) -> List[Tuple[bytes, bytes]]: ...
def _scan_bytes(image: bytes, raw: bool = False, today: Optional[datetime.date] = None) -> str: ...
def _scan_pixels(
    pixels: bytes, width: int, height: int, channels: int,
    raw: bool = False, today: Optional[datetime.date] = None,
) -> str: ...
def _mrz_json(
    lines: bytes, lenient: bool = False, redact: bool = False, today: Optional[datetime.date] = None
) -> str: ...
def _chip_json(dir: str, csca: List[bytes], redact: bool = False) -> str: ...
def _verify_json(
    qr: Optional[bytes], mrz: Optional[bytes], chip: Optional[str], csca: List[bytes],
    lenient: bool = False, redact: bool = False, today: Optional[datetime.date] = None,
) -> str: ...
