"""How large the grids of an .xls (BIFF5/BIFF8) workbook will be, read from its records before calamine.

calamine builds the dense grid of every sheet of an .xls when it opens the file, before a single
sheet is asked for: a 5.6 KB workbook of four sheets that each hold A1 and IV65536 takes 2 GB at
``from_path`` alone, and a cell record naming column 65535 (BIFF8 allows any 16-bit column) makes
it ask for a 4-billion-cell grid and abort the whole process, as a DIMENSIONS record claiming
4 billion rows does through the room it reserves. So the workbook stream is walked first, record
by record (≈ 0.5 s per million records), the way calamine walks it:

- the compound file (OLE2) is followed to the stream calamine reads (the first directory entry
  named ``Workbook``, else ``Book``, ``WORKBOOK``, ``BOOK``). Its sector chains are followed as
  calamine follows them, and a chain that loops, leaves the file or points past the allocation
  table is refused: calamine would loop for ever, or read the same sectors until the declared
  size (up to 4 GB) is reached, or panic;
- each sheet's records, from the offset its BoundSheet8 record gives, up to its EOF: every record
  that calamine turns into a cell (numbers, labels, RK/MulRk, booleans and errors, formulas; not
  BLANK/MulBlank, which it skips) widens the sheet to its row and column, counted from A1 as
  ``etl.readers`` will hand the grid on; records of embedded substreams (charts) are counted too;
- a sheet over ``sheet_max_rows`` rows or ``MAX_CELLS`` cells, or all sheets together over the
  file's ``CellBudget``, is refused, and so is a DIMENSIONS record whose grid (the room calamine
  reserves) is over ``MAX_CELLS``: no real .xls has more than 65,536 × 256 cells;
- the text the cells spell out must stay within ``max_text`` bytes. A LABELSST cell names a string
  of the shared-string table (SST), and calamine copies that string into every cell naming it: a
  389 KB .xls whose 20,000 cells name one 30,000-character string took 4.6 GB before this check.
  The SST is walked as calamine walks it (its CONTINUE records, and the flag byte each one starts
  with inside a string), each string measured as the most bytes its characters can take as UTF-8,
  and each LABELSST cell charged its string.

A legacy password (FilePass) is reported as encrypted, as calamine would. Anything else that breaks
the walk is a corrupt file: calamine would refuse it too, or worse.
"""

from __future__ import annotations

import struct
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from etl.errors import FileError
from etl.sheet import MAX_CELLS, MAX_MERGED, MAX_SHEETS, CellBudget

STREAM_NAMES = ("Workbook", "Book", "WORKBOOK", "BOOK")  # calamine's order
ENDOFCHAIN = 0xFFFF_FFFE
RESERVED = 0xFFFF_FFFA  # sector numbers from here on are markers, not sectors
DIFSECT = 0xFFFF_FFFC
MINI_CUTOFF = 4096  # smaller streams live in the mini stream
MINI_SECTOR = 64
ENTRY = 128  # bytes of a directory entry
MB = 1024 * 1024
BOF, EOF, FILEPASS, BOUNDSHEET, DIMENSIONS, MULRK = 0x0809, 0x000A, 0x002F, 0x0085, 0x0200, 0x00BD
SST, CONTINUE, LABELSST, CODEPAGE, MERGEDCELLS = 0x00FC, 0x003C, 0x00FD, 0x0042, 0x00E5
ROW, COLINFO = 0x0208, 0x007D  # a row's flags (0x20 of byte 12: hidden), a column run's (0x01 of byte 8)
LAST_COLUMN = 0x3FFF  # Excel's; a COLINFO may claim more
UTF16_CODEPAGE = 1200  # calamine's default, and what Excel writes in every BIFF8 workbook
# Records whose data starts with the cell's row and column (u16 each): NUMBER, LABEL, RSTRING, BOOLERR,
# RK, LABELSST, FORMULA, and the older BIFF2–4 forms of the same, counted in case calamine reads them.
CELL_RECORDS = frozenset(
    (0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006, 0x0206, 0x0406, 0x0002, 0x0003, 0x0004, 0x0005)
)
_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_HEADER = struct.Struct("<HH")  # a record's type and length


def check(
    data: bytes, file_name: str, max_rows: int, budget: CellBudget, max_text: int
) -> list[tuple[list[int], list[int]]]:
    """Raise ``FileError`` when a sheet of the .xls whose bytes are ``data``, or all of them, pass the
    limits, or when its cells spell out more than ``max_text`` bytes of shared strings.

    Returns, per sheet in workbook order, the 0-based rows and columns it hides (``etl.hidden``).
    """
    hidden: list[tuple[list[int], list[int]]] = []
    stream = workbook_stream(data, file_name)
    globals_ = _globals(stream, file_name)
    strings: Counter[int] = Counter()  # how many cells name each string of the SST
    merged = 0
    if len(globals_.sheets) > MAX_SHEETS:
        raise FileError.too_many_sheets(file_name, len(globals_.sheets), MAX_SHEETS)
    for offset, sheet in globals_.sheets:
        if offset > len(stream):
            raise FileError.corrupt(file_name)  # calamine slices the stream there and panics
        extent = _SheetExtent(file_name, sheet, max_rows)
        extent.scan(stream, offset, budget, strings)
        hidden.append((extent.hidden_rows, sorted(extent.hidden_columns)))
        merged += extent.merged
        if merged > MAX_MERGED:
            raise FileError.too_many_merged(file_name, merged, MAX_MERGED)
    if strings and globals_.sst is not None:
        sizes = string_sizes(globals_.sst, globals_.codepage, file_name)
        spelled = sum(sizes[i] * n for i, n in strings.items() if i < len(sizes))
        if spelled > max_text:
            raise FileError.shared_strings_too_big(file_name, max_text // MB)
    return hidden


# --- the compound file ------------------------------------------------------------------------


def workbook_stream(data: bytes, file_name: str) -> bytes:
    """The bytes of the stream calamine reads as the workbook, following its chains as it does."""
    return _Compound(data, file_name).stream()


class _Compound:
    """The parts of an OLE2 compound file calamine reads: allocation tables, directory, mini stream."""

    def __init__(self, data: bytes, file_name: str) -> None:
        self.data, self.file_name = data, file_name
        if len(data) < 512:
            raise self.corrupt()
        shift = _U16.unpack_from(data, 30)[0]
        if shift not in (9, 12) or _U16.unpack_from(data, 32)[0] != 6:
            raise self.corrupt()
        self.size = 1 << shift
        self.version = _U16.unpack_from(data, 26)[0]
        self.max_id = len(data) // self.size
        self.fat = self._fat(list(struct.unpack_from("<109I", data, 76)), _U32.unpack_from(data, 68)[0])
        entries = self.chain(_U32.unpack_from(data, 48)[0], None)
        self.entries = [entries[at : at + ENTRY] for at in range(0, len(entries) - ENTRY + 1, ENTRY)]
        if not self.entries or (self.version != 3 and self._start(0) == ENDOFCHAIN):
            raise self.corrupt()
        self.mini = b""
        self.mini_fat: list[int] = []
        mini_fat_sectors = _U32.unpack_from(data, 64)[0]
        if mini_fat_sectors > 0:
            self.mini = self.chain(self._start(0), self._length(0))
            table = self.chain(_U32.unpack_from(data, 60)[0], mini_fat_sectors * self.size)
            self.mini_fat = list(struct.unpack_from(f"<{len(table) // 4}I", table))

    def corrupt(self) -> FileError:
        return FileError.corrupt(self.file_name)

    def sector(self, number: int) -> bytes:
        if number > self.max_id:
            raise self.corrupt()
        at = (number + 1) * self.size  # the header takes the place of one sector
        found = self.data[at : at + self.size]
        if len(found) < self.size:
            raise self.corrupt()  # calamine reads a short sector at the end of the file, or panics
        return found

    def _fat(self, difat: list[int], next_difat: int) -> list[int]:
        """The allocation table, from the sectors the DIFAT lists (calamine loops on a DIFAT cycle)."""
        seen: set[int] = set()
        while next_difat < RESERVED:
            if next_difat in seen:
                raise self.corrupt()
            seen.add(next_difat)
            difat.extend(struct.unpack(f"<{self.size // 4}I", self.sector(next_difat)))
            next_difat = difat.pop()
        sectors = [number for number in difat if number < DIFSECT]
        if len(sectors) > self.max_id + 1:
            raise self.corrupt()  # more table sectors than the file has: the same ones listed again
        table = b"".join(self.sector(number) for number in sectors)
        return list(struct.unpack(f"<{len(table) // 4}I", table))

    def chain(self, start: int, length: int | None) -> bytes:
        """The sectors from ``start`` on, up to ``length`` bytes (None: to the end of the chain).

        calamine follows a chain until its end marker or until ``length`` is reached, so a chain that
        loops makes it read the same sectors again until then (or for ever): refused here.
        """
        return self._follow(start, length, self.fat, self.sector)

    def _follow(self, start: int, length: int | None, table: list[int], read: Callable[[int], bytes]) -> bytes:
        parts: list[bytes] = []
        total = 0
        seen: set[int] = set()
        number = start
        while number != ENDOFCHAIN and (length is None or total < length):
            if number in seen or number >= len(table):
                raise self.corrupt()  # a loop, or a sector the table doesn't cover (calamine panics)
            seen.add(number)
            part = read(number)
            parts.append(part)
            total += len(part)
            number = table[number]
        data = b"".join(parts)
        return data if length is None else data[:length]

    def _mini_sector(self, number: int) -> bytes:
        found = self.mini[number * MINI_SECTOR : (number + 1) * MINI_SECTOR]
        if len(found) < MINI_SECTOR:
            raise self.corrupt()
        return found

    def _name(self, index: int) -> str:
        name = self.entries[index][:64].decode("utf-16-le", errors="replace")
        return name.split("\x00", 1)[0]

    def _start(self, index: int) -> int:
        return int(_U32.unpack_from(self.entries[index], 116)[0])

    def _length(self, index: int) -> int:
        fmt = "<I" if self.size == 512 else "<Q"
        return int(struct.unpack_from(fmt, self.entries[index], 120)[0])

    def stream(self) -> bytes:
        names = [self._name(i) for i in range(len(self.entries))]
        for wanted in STREAM_NAMES:
            if wanted in names:
                index = names.index(wanted)
                start, length = self._start(index), self._length(index)
                if length < MINI_CUTOFF:
                    return self._follow(start, length, self.mini_fat, self._mini_sector)
                return self.chain(start, length)
        raise self.corrupt()


# --- the BIFF records -------------------------------------------------------------------------


def _records(stream: bytes, offset: int, file_name: str) -> Iterator[tuple[int, int, int]]:
    """(type, start of data, length) of each record from ``offset`` to the end of the stream."""
    end = len(stream)
    at = offset
    while at < end:
        if at + 4 > end:
            raise FileError.corrupt(file_name)
        kind, length = _HEADER.unpack_from(stream, at)
        if at + 4 + length > end:
            raise FileError.corrupt(file_name)  # calamine: "end of stream" in the middle of a record
        yield kind, at + 4, length
        at += 4 + length


@dataclass
class _Globals:
    """What the workbook globals (the records up to the first EOF) tell the scan."""

    sheets: list[tuple[int, str]] = field(default_factory=list)  # where each sheet's records start, its name
    sst: list[bytes] | None = None  # the last SST record's data, then its CONTINUE records' (calamine keeps the last)
    codepage: int = UTF16_CODEPAGE  # the CODEPAGE in force when the SST was read


def _globals(stream: bytes, file_name: str) -> _Globals:
    found = _Globals()
    codepage = UTF16_CODEPAGE
    records = list(_records_to_eof(stream, file_name))
    for index, (kind, at, length) in enumerate(records):
        if kind == FILEPASS and length >= 2 and _U16.unpack_from(stream, at)[0] != 0:
            raise FileError.encrypted(file_name)
        if kind == BOUNDSHEET:
            if length < 6:
                raise FileError.corrupt(file_name)
            found.sheets.append((int(_U32.unpack_from(stream, at)[0]), _sheet_name(stream[at + 6 : at + length])))
        elif kind == CODEPAGE and length >= 2:
            codepage = _U16.unpack_from(stream, at)[0]
        elif kind == SST:
            found.sst, found.codepage = [stream[at : at + length]], codepage
            for following, start, size in records[index + 1 :]:
                if following != CONTINUE:
                    break
                found.sst.append(stream[start : start + size])
    return found


def _records_to_eof(stream: bytes, file_name: str) -> Iterator[tuple[int, int, int]]:
    """The globals' records, the EOF that ends them included."""
    for kind, at, length in _records(stream, 0, file_name):
        yield kind, at, length
        if kind == EOF:
            return


def _sheet_name(data: bytes) -> str:
    """A BoundSheet8 name: a length, then (BIFF8) a flag for UTF-16 and the characters; for messages only."""
    if len(data) < 2:
        return ""
    count, flag = data[0], data[1]
    if flag == 1 and len(data) >= 2 + 2 * count:
        return data[2 : 2 + 2 * count].decode("utf-16-le", errors="replace")
    if flag == 0 and len(data) == 2 + count:
        return data[2:].decode("latin-1")
    return data[1 : 1 + count].decode("gbk", errors="replace")  # BIFF5: 8-bit, in the file's code page


class _SheetExtent:
    """The farthest row and column one sheet's cell records name."""

    def __init__(self, file_name: str, sheet: str, max_rows: int) -> None:
        self.file_name, self.sheet, self.max_rows = file_name, sheet, max_rows
        self.merged = 0  # merged areas its MERGEDCELLS records list
        self.hidden_rows: list[int] = []
        self.hidden_columns: set[int] = set()

    def scan(self, stream: bytes, offset: int, budget: CellBudget, strings: Counter[int]) -> None:
        """Walk the sheet's records up to its EOF: one tight loop, a sheet can have a million records.
        ``strings`` counts the cells naming each shared string.

        A record cut short by the end of the stream is a corrupt file, as calamine finds it.
        """
        named: list[int] = []
        depth = 0  # calamine skips embedded substreams (BOF … EOF inside the sheet); counted here too
        seen_bof = False
        cells, unpack, end = CELL_RECORDS, _HEADER.unpack_from, len(stream)
        rows = columns = 0
        at = offset
        try:
            while at < end:
                kind, length = unpack(stream, at)
                data = at + 4
                at = data + length
                if kind in cells:
                    row, column = unpack(stream, data)
                    if row >= rows:
                        rows = row + 1
                    if column >= columns:
                        columns = column + 1
                    if kind == LABELSST and length >= 10:
                        named.append(_U32.unpack_from(stream, data + 6)[0])
                elif kind == MULRK:
                    row, first = unpack(stream, data)
                    last = max(first + (length - 6) // 6 - 1, _U16.unpack_from(stream, at - 2)[0])
                    rows, columns = max(rows, row + 1), max(columns, last + 1)
                elif kind == DIMENSIONS:
                    self._reserved(stream, data, length)
                elif kind == ROW:
                    if length >= 16 and stream[data + 12] & 0x20:
                        self.hidden_rows.append(unpack(stream, data)[0])
                elif kind == COLINFO:
                    if length >= 10 and stream[data + 8] & 0x01:
                        first, last = unpack(stream, data)
                        self.hidden_columns.update(range(first, min(last, LAST_COLUMN) + 1))
                elif kind == MERGEDCELLS:
                    count = unpack(stream, data)[0] if length >= 2 else 0
                    if length < 2 or 2 + 8 * count > length:
                        raise FileError.corrupt(self.file_name)  # calamine reads past the record and panics
                    self.merged += count
                elif kind == BOF:
                    depth += 1 if seen_bof else 0
                    seen_bof = True
                elif kind == EOF:
                    if depth == 0:
                        break
                    depth -= 1
        except struct.error as exc:
            raise FileError.corrupt(self.file_name) from exc
        if at > end:
            raise FileError.corrupt(self.file_name)
        strings.update(named)
        if rows > self.max_rows:
            raise FileError.too_many_rows(self.file_name, self.sheet, rows, self.max_rows)
        if rows * columns > MAX_CELLS:
            raise FileError.too_many_cells(self.file_name)
        budget.take(rows * columns)

    def _reserved(self, stream: bytes, at: int, length: int) -> None:
        """Refuse the room calamine reserves for the cells a DIMENSIONS record announces, when too large."""
        if length == 14:
            first_row, last_row = struct.unpack_from("<II", stream, at)
            first_column, last_column = struct.unpack_from("<HH", stream, at + 8)
        elif length == 10:
            first_row, last_row, first_column, last_column = struct.unpack_from("<HHHH", stream, at)
        else:
            return  # calamine refuses the file
        if first_column > 0xFF or last_column < first_column:
            first_column = 0
        if last_row >= 1 and last_column >= 1:
            end_row, end_column = last_row - 1, last_column - 1
        else:
            end_row, end_column = first_row, first_column
        rows = (end_row - first_row + 1) % 2**32  # calamine's u32 arithmetic wraps
        columns = (end_column - first_column + 1) % 2**32
        if rows * columns > MAX_CELLS:
            raise FileError.too_many_cells(self.file_name)


# --- the shared strings -----------------------------------------------------------------------


def string_sizes(parts: list[bytes], codepage: int, file_name: str) -> list[int]:
    """The most bytes each string of the SST (``parts``: its record's data, then its CONTINUE
    records') can take as UTF-8, in calamine's order: the walk of ``read_rich_extended_string``.

    A character written in two bytes (UTF-16) takes at most 3, one written in one byte at most 2;
    under any other code page than UTF-16's calamine decodes each character's two bytes as that
    code page, at most two characters of 3 bytes. A string cut short, or a CONTINUE record without
    the flag byte it must start with, is a corrupt file: calamine refuses it, or panics.
    """
    if len(parts[0]) < 8:
        raise FileError.corrupt(file_name)
    wide, narrow = (3, 2) if codepage == UTF16_CODEPAGE else (6, 6)
    walk = _Continued(parts, file_name)
    walk.at = 8  # cstTotal, cstUnique
    sizes: list[int] = []
    while walk.left or walk.next_part():
        if not walk.left:
            sizes.append(0)  # calamine reads an empty string there
            continue
        part, at = walk.parts[walk.index], walk.at
        if len(part) - at >= 3 and not part[at + 2] & 0xC:  # most strings: no runs, no phonetics, in one part
            count, high = part[at] | part[at + 1] << 8, part[at + 2] & 0x1
            end = at + 3 + (count << high)
            if end <= len(part):
                walk.at = end
                sizes.append(count * (wide if high else narrow))
                continue
        count, flags = walk.u16(), walk.byte()
        runs = walk.u16() if flags & 0x8 else 0
        extra = walk.u32() if flags & 0x4 else 0  # calamine casts an i32: a negative one can't be skipped
        size, high = 0, flags & 0x1
        while count:
            taken = min(walk.left // 2 if high else walk.left, count)
            walk.at += taken * (2 if high else 1)
            size += taken * (wide if high else narrow)
            count -= taken
            if count:
                if not walk.next_part() or not walk.left:
                    raise FileError.corrupt(file_name)
                high = walk.byte() & 0x1
        walk.skip(runs * 4 + (extra if extra < 2**31 else 2**64))
        sizes.append(size)
    return sizes


class _Continued:
    """A record's data and its CONTINUE records' read as calamine's ``Record`` reads them."""

    def __init__(self, parts: list[bytes], file_name: str) -> None:
        self.parts, self.file_name = parts, file_name
        self.index, self.at = 0, 0

    @property
    def left(self) -> int:
        return len(self.parts[self.index]) - self.at

    def next_part(self) -> bool:
        if self.index + 1 >= len(self.parts):
            return False
        self.index, self.at = self.index + 1, 0
        return True

    def _take(self, size: int) -> bytes:
        if self.left < size:  # calamine reads these fields from the part at hand only
            raise FileError.corrupt(self.file_name)
        self.at += size
        return self.parts[self.index][self.at - size : self.at]

    def byte(self) -> int:
        return self._take(1)[0]

    def u16(self) -> int:
        return int(_U16.unpack(self._take(2))[0])

    def u32(self) -> int:
        return int(_U32.unpack(self._take(4))[0])

    def skip(self, size: int) -> None:
        while size > 0:
            if not self.left and not self.next_part():
                raise FileError.corrupt(self.file_name)
            step = min(size, self.left)
            self.at += step
            size -= step
