"""The one error a user sees when a file can't be read at all."""

from __future__ import annotations


class FileError(Exception):
    """A file that can't be read; ``str(error)`` is a plain Chinese message naming file and cause."""

    def __init__(self, file_name: str, cause: str) -> None:
        self.file_name = file_name
        self.cause = cause
        super().__init__(f"文件「{file_name}」{cause}")

    @classmethod
    def wps(cls, file_name: str) -> FileError:
        return cls(file_name, "是 WPS 表格格式，无法读取，请在 WPS 中另存为 .xlsx 后再导入")

    @classmethod
    def corrupt(cls, file_name: str) -> FileError:
        return cls(file_name, "已损坏或不是有效的 Excel 文件")

    @classmethod
    def encrypted(cls, file_name: str) -> FileError:
        return cls(file_name, "已加密或设有密码，请取消密码后再导入")

    @classmethod
    def empty(cls, file_name: str) -> FileError:
        return cls(file_name, "为空")

    @classmethod
    def too_large(cls, file_name: str) -> FileError:
        return cls(file_name, "解压后体积异常巨大（疑似压缩炸弹），已拒绝读取")

    @classmethod
    def unpacks_too_big(cls, file_name: str, limit_mb: int) -> FileError:
        return cls(
            file_name,
            f"解压后超过 {limit_mb} MB 的上限（疑似压缩炸弹，或工作簿过大），已拒绝读取；请拆分成几个文件后再导入",
        )

    @classmethod
    def shared_strings_too_big(cls, file_name: str, limit_mb: int) -> FileError:
        return cls(
            file_name,
            f"中的文字被大量单元格重复引用，展开后超过 {limit_mb} MB 的上限（疑似压缩炸弹），已拒绝读取；"
            "请删去重复的长文字，或拆分成几个文件后再导入",
        )

    @classmethod
    def too_many_rows(cls, file_name: str, sheet: str, rows: int, limit: int) -> FileError:
        return cls(
            file_name,
            f"的工作表「{sheet}」有 {rows:,} 行，超过了每张工作表 {limit:,} 行的上限，已拒绝读取；请拆分成几个文件后再导入",
        )

    @classmethod
    def too_many_rejects(cls, file_name: str, rejected: int, limit: int) -> FileError:
        return cls(
            file_name,
            f"中无法读取的行已超过 {limit:,} 行（至少 {rejected:,} 行），整个文件未导入；"
            "请确认选对了文件，或按模板整理后再导入",
        )

    @classmethod
    def no_sheet(cls, file_name: str) -> FileError:
        from etl.datasets import DATASETS

        kinds = "、".join(dict.fromkeys(d.name for d in DATASETS.values()))
        return cls(file_name, f"中没有可识别的工作表（可以导入：{kinds}；表头要有这些台账的列名）")

    @classmethod
    def too_big(cls, file_name: str, limit_mb: int) -> FileError:
        return cls(file_name, f"超过 {limit_mb} MB，这种网页或文本格式的表格过大，请在 Excel 中另存为 .xlsx 后再导入")

    @classmethod
    def too_many_cells(cls, file_name: str) -> FileError:
        return cls(file_name, "中的表格展开后过大（超出工作表的行列范围或单元格数上限，疑似损坏），已拒绝读取")

    @classmethod
    def too_many_sheets(cls, file_name: str, sheets: int, limit: int) -> FileError:
        return cls(
            file_name,
            f"有 {sheets:,} 张工作表，超过每个文件 {limit:,} 张的上限，已拒绝读取；请只保留台账所在的工作表后再导入",
        )

    @classmethod
    def too_many_merged(cls, file_name: str, merged: int, limit: int) -> FileError:
        return cls(
            file_name,
            f"列出了至少 {merged:,} 处合并单元格，超过每个文件 {limit:,} 处的上限（疑似损坏），已拒绝读取；"
            "请取消多余的合并单元格后再导入",
        )

    @classmethod
    def too_many_cells_in_file(cls, file_name: str, cells: int, limit: int) -> FileError:
        return cls(
            file_name,
            f"的各工作表合计至少有 {cells:,} 个单元格（每张表从 A1 算到最远的有内容的单元格），"
            f"超过了每个文件 {limit:,} 个单元格的上限，已拒绝读取；"
            "请删去多余的工作表或远处零散的内容，或拆分成几个文件后再导入",
        )

    @classmethod
    def too_many_html_cells(cls, file_name: str, limit: int) -> FileError:
        return cls(
            file_name,
            f"中的网页表格超过 {limit:,} 个单元格，这种网页格式的表格过大，请在 Excel 中另存为 .xlsx 后再导入",
        )

    @classmethod
    def xlsb(cls, file_name: str) -> FileError:
        return cls(file_name, "是 Excel 二进制工作簿（.xlsb），无法读取，请在 Excel 中另存为 .xlsx 后再导入")

    @classmethod
    def no_table(cls, file_name: str) -> FileError:
        return cls(file_name, "是网页文件，但其中没有表格")

    @classmethod
    def unsafe_xml(cls, file_name: str) -> FileError:
        return cls(file_name, "含有 XML 实体声明（DOCTYPE/ENTITY），出于安全考虑已拒绝读取")
