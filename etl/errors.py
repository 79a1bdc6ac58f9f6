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
    def no_sheet(cls, file_name: str) -> FileError:
        return cls(file_name, "中没有可识别的工作表（需要矛盾纠纷、规范性文件或学法培训台账）")
