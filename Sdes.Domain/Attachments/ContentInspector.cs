using System.Buffers.Binary;
using System.Text;

namespace Sdes.Domain.Attachments;

/// <summary>Checks, as the bytes stream past once, that a file's content matches its extension. Holds a bounded amount of
/// the file (its head and a tail window for the zip central directory), never the whole file.</summary>
/// <remarks>Feed it with <see cref="Append"/> in chunks of any size, then call <see cref="Complete"/> once. This is a
/// plausibility check against renamed files, not a parser: the virus scan still decides whether a file is safe.</remarks>
public sealed class ContentInspector
{
    private static readonly System.Buffers.SearchValues<byte> ForbiddenTextBytes = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(b => b is not ('\t' or '\n' or '\f' or '\r' or 0x1A)).Select(b => (byte)b)]);

    /// <summary>Bytes kept from the start of the file; every signature we look for lies well inside it.</summary>
    public const int HeadSize = 8 * 1024;

    /// <summary>Bytes kept from the end of a .docx or .xlsx to find the zip central directory. A directory that does not
    /// fit (tens of thousands of parts) is refused rather than accepted unread.</summary>
    public const int TailSize = 256 * 1024;

    private const int PdfHeaderSearchLength = 1024;
    private const int EndOfCentralDirectoryLength = 22;
    private const int CentralDirectoryHeaderLength = 46;
    private const byte EndOfFileMarker = 0x1A;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegSignature = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] SevenZipSignature = [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C];
    private static readonly byte[] Ole2Signature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly byte[] ZipLocalFileSignature = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] ZipEmptyArchiveSignature = [0x50, 0x4B, 0x05, 0x06];

    private readonly string _extension;
    private readonly string _subject;
    private readonly bool _isText;
    private readonly byte[] _head = new byte[HeadSize];
    private readonly byte[]? _tail;
    private int _headLength;
    private long _length;
    private ContentVerdict? _verdict;

    private TextEncoding _textEncoding;
    private bool _textIsBinary;
    private bool _endOfFileMarkerSeen;
    private int _pendingUtf16Byte = -1;

    public ContentInspector(string extension)
        : this(extension, null)
    {
    }

    /// <param name="extension">One of <see cref="AllowedFileTypes.Extensions"/>, with or without the dot, in any case.</param>
    /// <param name="fileName">The name to use in the verdict's sentence; "This file" when null.</param>
    public ContentInspector(string extension, string? fileName)
    {
        ArgumentNullException.ThrowIfNull(extension);
        if (!AllowedFileTypes.IsAllowed(extension))
        {
            throw new ArgumentException($"'{extension}' is not an allowed attachment extension.", nameof(extension));
        }

        _extension = AllowedFileTypes.Normalise(extension);
        _subject = string.IsNullOrWhiteSpace(fileName) ? "This file" : fileName;
        _isText = _extension is "csv" or "txt";
        if (_extension is "docx" or "xlsx")
        {
            _tail = new byte[TailSize];
        }
    }

    private enum TextEncoding
    {
        Undecided,
        SingleByte,
        Utf16LittleEndian,
        Utf16BigEndian,
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_verdict is not null)
        {
            throw new InvalidOperationException("The content has already been completed.");
        }

        if (bytes.IsEmpty)
        {
            return;
        }

        var start = _length;
        if (_headLength < HeadSize)
        {
            var take = Math.Min(bytes.Length, HeadSize - _headLength);
            bytes[..take].CopyTo(_head.AsSpan(_headLength));
            _headLength += take;
        }

        if (_tail is not null)
        {
            AppendToTail(bytes, start);
        }

        _length += bytes.Length;
        if (_isText)
        {
            InspectText(bytes, start);
        }
    }

    public ContentVerdict Complete()
    {
        if (_verdict is not null)
        {
            return _verdict;
        }

        if (_isText && _textEncoding == TextEncoding.Undecided)
        {
            _textEncoding = TextEncoding.SingleByte;
            ScanText(_head.AsSpan(0, _headLength));
        }

        _verdict = Decide();
        return _verdict;
    }

    private ContentVerdict Decide()
    {
        var head = _head.AsSpan(0, _headLength);
        if (_extension == "dat")
        {
            return ContentVerdict.Ok; // no fixed format: only the virus scan decides
        }

        if (_isText)
        {
            if (!_textIsBinary && _pendingUtf16Byte < 0)
            {
                return ContentVerdict.Ok;
            }

            return LooksLikeProgram(head)
                ? ProgramRefusal()
                : Refuse($"{_subject} is not {Description}: it contains binary data (NUL bytes or control characters) that a .{_extension} file cannot contain.");
        }

        if (_length == 0)
        {
            return Refuse($"{_subject} is empty, so it cannot be {Description}.");
        }

        if (LooksLikeProgram(head))
        {
            return ProgramRefusal();
        }

        var matches = _extension switch
        {
            "pdf" => head[..Math.Min(head.Length, PdfHeaderSearchLength)].IndexOf("%PDF-"u8) >= 0,
            "png" => head.StartsWith(PngSignature),
            "gif" => head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8),
            "jpg" or "jpeg" => head.StartsWith(JpegSignature),
            "7z" => head.StartsWith(SevenZipSignature),
            "doc" or "xls" => head.StartsWith(Ole2Signature),
            "zip" => head.StartsWith(ZipLocalFileSignature) || head.StartsWith(ZipEmptyArchiveSignature),
            "docx" or "xlsx" => head.StartsWith(ZipLocalFileSignature),
            _ => false,
        };
        if (!matches)
        {
            return Mismatch();
        }

        return _extension is "docx" or "xlsx" ? DecideOfficeOpenXml() : ContentVerdict.Ok;
    }

    private ContentVerdict DecideOfficeOpenXml()
    {
        var isWord = _extension == "docx";
        var names = ReadCentralDirectoryNames(LinearTail());
        if (names is null)
        {
            return Refuse(isWord
                ? $"{_subject} could not be read as a Word document. Save it again from Word and attach the new copy."
                : $"{_subject} could not be read as an Excel workbook. Save it again from Excel and attach the new copy.");
        }

        var hasContentTypes = names.Contains("[Content_Types].xml");
        var hasWordDocument = hasContentTypes && names.Contains("word/document.xml");
        var hasWorkbook = hasContentTypes && names.Contains("xl/workbook.xml");
        if (isWord ? hasWordDocument : hasWorkbook)
        {
            return ContentVerdict.Ok;
        }

        if (isWord && hasWorkbook)
        {
            return Refuse($"{_subject} is an Excel workbook, not a Word document: its content does not match the .docx extension.");
        }

        return !isWord && hasWordDocument
            ? Refuse($"{_subject} is a Word document, not an Excel workbook: its content does not match the .xlsx extension.")
            : Mismatch();
    }

    private string Description => _extension switch
    {
        "7z" => "a 7-Zip archive",
        "csv" => "a text (CSV) file",
        "doc" or "docx" => "a Word document",
        "gif" => "a GIF image",
        "jpg" or "jpeg" => "a JPEG image",
        "pdf" => "a PDF file",
        "png" => "a PNG image",
        "txt" => "a text file",
        "xls" or "xlsx" => "an Excel workbook",
        "zip" => "a zip archive",
        _ => $"a .{_extension} file",
    };

    private static bool LooksLikeProgram(ReadOnlySpan<byte> head) => head.StartsWith("MZ"u8);

    private static ContentVerdict Refuse(string reason) => new(false, reason);

    private ContentVerdict ProgramRefusal() =>
        Refuse($"{_subject} is a program (executable), not a .{_extension} file, and cannot be attached.");

    private ContentVerdict Mismatch() =>
        Refuse($"{_subject} is not {Description}: its content does not match the .{_extension} extension.");

    private void InspectText(ReadOnlySpan<byte> bytes, long start)
    {
        if (_textEncoding != TextEncoding.Undecided)
        {
            ScanText(bytes);
            return;
        }

        if (_length < 2)
        {
            return; // the first byte stays in the head until the second one shows whether there is a UTF-16 byte order mark
        }

        _textEncoding = (_head[0], _head[1]) switch
        {
            (0xFF, 0xFE) => TextEncoding.Utf16LittleEndian,
            (0xFE, 0xFF) => TextEncoding.Utf16BigEndian,
            _ => TextEncoding.SingleByte,
        };
        ScanText(_head.AsSpan(0, (int)start));
        ScanText(bytes);
    }

    // Plain text is bytes of any single-byte or UTF-8 encoding, or UTF-16 after its byte order mark (Excel's "Unicode
    // Text"). Either way: no NUL and no C0 control other than tab, LF, FF and CR; one Ctrl-Z (0x1A) is tolerated as the last
    // character, as DOS tools wrote it.
    private void ScanText(ReadOnlySpan<byte> bytes)
    {
        if (_textIsBinary || bytes.IsEmpty)
        {
            return;
        }

        if (_textEncoding == TextEncoding.SingleByte)
        {
            // The common case, searched a vector at a time: this check sits in front of the virus scan on every upload.
            if (_endOfFileMarkerSeen || bytes.IndexOfAny(ForbiddenTextBytes) >= 0)
            {
                _textIsBinary = true;
                return;
            }

            var marker = bytes.IndexOf((byte)EndOfFileMarker);
            if (marker >= 0)
            {
                _textIsBinary = marker != bytes.Length - 1;
                _endOfFileMarkerSeen = true;
            }

            return;
        }

        foreach (var b in bytes)
        {
            int unit = b;
            if (_textEncoding != TextEncoding.SingleByte)
            {
                if (_pendingUtf16Byte < 0)
                {
                    _pendingUtf16Byte = b;
                    continue;
                }

                unit = _textEncoding == TextEncoding.Utf16LittleEndian ? (b << 8) | _pendingUtf16Byte : (_pendingUtf16Byte << 8) | b;
                _pendingUtf16Byte = -1;
            }

            if (_endOfFileMarkerSeen || (unit < 0x20 && unit is not ('\t' or '\n' or '\f' or '\r' or EndOfFileMarker)))
            {
                _textIsBinary = true;
                return;
            }

            _endOfFileMarkerSeen = unit == EndOfFileMarker;
        }
    }

    private void AppendToTail(ReadOnlySpan<byte> bytes, long start)
    {
        if (bytes.Length > TailSize)
        {
            start += bytes.Length - TailSize;
            bytes = bytes[^TailSize..];
        }

        var index = (int)(start % TailSize);
        var first = Math.Min(bytes.Length, TailSize - index);
        bytes[..first].CopyTo(_tail.AsSpan(index));
        bytes[first..].CopyTo(_tail);
    }

    private TailWindow LinearTail()
    {
        var count = (int)Math.Min(_length, TailSize);
        var windowStart = _length - count;
        var window = new byte[count];
        var index = (int)(windowStart % TailSize);
        var first = Math.Min(count, TailSize - index);
        _tail.AsSpan(index, first).CopyTo(window);
        _tail.AsSpan(0, count - first).CopyTo(window.AsSpan(first));
        return new TailWindow(window, windowStart);
    }

    /// <summary>The entry names from the zip central directory, or null when the End Of Central Directory record or the
    /// directory itself is not wholly inside the window, is inconsistent, or needs Zip64 or several disks.</summary>
    private static HashSet<string>? ReadCentralDirectoryNames(TailWindow tail)
    {
        var window = tail.Bytes.AsSpan();
        var lowest = Math.Max(0, window.Length - EndOfCentralDirectoryLength - ushort.MaxValue);
        for (var eocd = window.Length - EndOfCentralDirectoryLength; eocd >= lowest; eocd--)
        {
            if (window[eocd] != 0x50 || !window[eocd..].StartsWith(ZipEmptyArchiveSignature))
            {
                continue;
            }

            var record = window.Slice(eocd, EndOfCentralDirectoryLength);
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(record[20..]);
            if (eocd + EndOfCentralDirectoryLength + commentLength != window.Length)
            {
                continue; // these four bytes are inside data or a comment, not the real record
            }

            var disk = BinaryPrimitives.ReadUInt16LittleEndian(record[4..]);
            var directoryDisk = BinaryPrimitives.ReadUInt16LittleEndian(record[6..]);
            var entries = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
            var directorySize = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
            var directoryOffset = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
            var directoryStart = eocd - (long)directorySize;
            if (disk != 0 || directoryDisk != 0 || entries == ushort.MaxValue || directoryOffset == uint.MaxValue
                || directoryStart < 0 || tail.Start + directoryStart != directoryOffset)
            {
                return null;
            }

            return ReadEntryNames(window[(int)directoryStart..eocd], entries);
        }

        return null;
    }

    private static HashSet<string>? ReadEntryNames(ReadOnlySpan<byte> directory, int entries)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase); // OPC part names ignore ASCII case
        var position = 0;
        for (var i = 0; i < entries; i++)
        {
            var header = directory[position..];
            if (header.Length < CentralDirectoryHeaderLength || BinaryPrimitives.ReadUInt32LittleEndian(header) != 0x02014B50)
            {
                return null;
            }

            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[30..]);
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header[32..]);
            var recordLength = CentralDirectoryHeaderLength + nameLength + extraLength + commentLength;
            if (header.Length < recordLength)
            {
                return null;
            }

            names.Add(Encoding.UTF8.GetString(header.Slice(CentralDirectoryHeaderLength, nameLength)));
            position += recordLength;
        }

        return position == directory.Length ? names : null;
    }

    private readonly record struct TailWindow(byte[] Bytes, long Start);
}

/// <param name="Reason">Null when accepted; otherwise a sentence for the uploader.</param>
public sealed record ContentVerdict(bool Accepted, string? Reason)
{
    public static ContentVerdict Ok { get; } = new(true, null);
}
