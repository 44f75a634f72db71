"""Reading: files of any format and encoding to :class:`duiqi.records.Document`."""

from duiqi.io.decode import Decoded, decode_bytes, read_text

__all__ = ["Decoded", "decode_bytes", "read_text"]
