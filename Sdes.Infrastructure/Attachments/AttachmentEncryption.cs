using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Sdes.Infrastructure.Attachments;

/// <summary>The data key of one file, wrapped by a master key. Stored in the database row, never beside the blob.</summary>
public sealed record WrappedKey(string KeyId, byte[] Bytes);

/// <summary>A new file's data key: the plain key for this upload only, and its wrapped form to store.</summary>
public sealed class FileKey : IDisposable
{
    public FileKey(byte[] dataKey, WrappedKey wrapped)
    {
        DataKey = dataKey;
        Wrapped = wrapped;
    }

    public byte[] DataKey { get; }
    public WrappedKey Wrapped { get; }

    public void Dispose() => CryptographicOperations.ZeroMemory(DataKey);
}

/// <summary>Stored bytes failed authentication (tampered, truncated, reordered) or the key is unknown.</summary>
public sealed class AttachmentIntegrityException : Exception
{
    public AttachmentIntegrityException(string message) : base(message) { }

    public AttachmentIntegrityException(string message, Exception innerException) : base(message, innerException) { }

    public AttachmentIntegrityException() { }
}

/// <summary>AES-256-GCM in fixed-size segments with a random data key per file, wrapped by a master key from the key ring.</summary>
/// <remarks>
/// Stored file format (docs/adr/0009-attachment-encryption-at-rest.md):
/// <code>
/// header (32 bytes): "SDESENC1" | version 0x01 | 3 zero bytes | segment size (uint32 BE) | file id (16 bytes, Guid big-endian)
/// segment i:         ciphertext (segment size bytes, or fewer for the final segment) | 16-byte GCM tag
/// nonce of i:        4 zero bytes | i as uint64 BE
/// associated data:   header (32 bytes) | i as uint64 BE | final flag (0x01 on the final segment, else 0x00)
/// </code>
/// Every segment but the last holds exactly segment-size plaintext bytes; the final one holds fewer (possibly none), so a
/// file always ends with a final segment and a reader recognises it by its short length. Deterministic nonces are safe
/// because every file has its own random data key, used for that one file and never for a second encryption.
/// The header is authenticated through each segment's associated data, which also catches truncation (no final flag),
/// reordering, removal or duplication (index), bit flips (tag) and a file decrypted under another row (file id).
/// Wrapped data key: version 0x01 | 12-byte random nonce | 32-byte ciphertext | 16-byte tag, under the master key named by
/// <see cref="WrappedKey.KeyId"/>, with that key id as associated data.
/// </remarks>
public sealed class AttachmentEncryption
{
    public const int SegmentSize = 64 * 1024;
    public const int HeaderSize = 32;
    public const int TagSize = 16;
    public const int KeySize = 32;

    internal const byte FormatVersion = 1;
    internal const byte WrapVersion = 1;
    internal const int MinSegmentSize = 1024;
    internal const int MaxSegmentSize = 4 * 1024 * 1024;
    private const int NonceSize = 12;
    private const int WrappedSize = 1 + NonceSize + KeySize + TagSize;
    private static ReadOnlySpan<byte> Magic => "SDESENC1"u8;

    private readonly AttachmentKeyRing _ring;

    public AttachmentEncryption(AttachmentEncryptionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ring = AttachmentKeyRing.Load(options);
    }

    public string ActiveKeyId => _ring.ActiveKeyId;

    public FileKey NewFileKey()
    {
        var dataKey = RandomNumberGenerator.GetBytes(KeySize);
        return new FileKey(dataKey, Wrap(dataKey));
    }

    public byte[] Unwrap(WrappedKey wrapped)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        if (!_ring.TryGet(wrapped.KeyId, out var masterKey))
        {
            throw new AttachmentIntegrityException(
                $"The file's key was wrapped by master key '{wrapped.KeyId}', which is not in the key ring (Attachments:Encryption:Keys).");
        }

        var bytes = wrapped.Bytes;
        if (bytes is null || bytes.Length != WrappedSize || bytes[0] != WrapVersion)
        {
            throw new AttachmentIntegrityException("The file's wrapped key is not in a recognised format.");
        }

        var dataKey = new byte[KeySize];
        try
        {
            using var aes = new AesGcm(masterKey, TagSize);
            aes.Decrypt(bytes.AsSpan(1, NonceSize), bytes.AsSpan(1 + NonceSize, KeySize), bytes.AsSpan(1 + NonceSize + KeySize, TagSize),
                dataKey, Encoding.UTF8.GetBytes(wrapped.KeyId));
        }
        catch (CryptographicException e)
        {
            throw new AttachmentIntegrityException($"The file's wrapped key failed authentication under master key '{wrapped.KeyId}'.", e);
        }

        return dataKey;
    }

    /// <summary>The same data key wrapped by the active master key (key rotation without re-encrypting files).</summary>
    public WrappedKey Rewrap(WrappedKey wrapped)
    {
        var dataKey = Unwrap(wrapped);
        try
        {
            return Wrap(dataKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>A write-only stream: plaintext written to it goes to <paramref name="destination"/> as ciphertext. Disposing it
    /// writes the final segment (then disposes the destination unless <paramref name="leaveOpen"/>).</summary>
    public Stream EncryptTo(Stream destination, byte[] dataKey, Guid fileId, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        CheckDataKey(dataKey);
        return new EncryptingStream(destination, dataKey, BuildHeader(fileId, SegmentSize), SegmentSize, leaveOpen);
    }

    /// <summary>A read-only stream of plaintext; throws <see cref="AttachmentIntegrityException"/> as soon as a segment fails
    /// authentication, and at the end if the final segment is missing.</summary>
    public Stream DecryptFrom(Stream source, byte[] dataKey, Guid fileId, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckDataKey(dataKey);
        return new DecryptingStream(source, dataKey, fileId, leaveOpen);
    }

    private WrappedKey Wrap(byte[] dataKey)
    {
        var keyId = _ring.ActiveKeyId;
        var bytes = new byte[WrappedSize];
        bytes[0] = WrapVersion;
        RandomNumberGenerator.Fill(bytes.AsSpan(1, NonceSize));
        using var aes = new AesGcm(_ring.ActiveKey, TagSize);
        aes.Encrypt(bytes.AsSpan(1, NonceSize), dataKey, bytes.AsSpan(1 + NonceSize, KeySize), bytes.AsSpan(1 + NonceSize + KeySize, TagSize),
            Encoding.UTF8.GetBytes(keyId));
        return new WrappedKey(keyId, bytes);
    }

    private static void CheckDataKey(byte[] dataKey)
    {
        ArgumentNullException.ThrowIfNull(dataKey);
        if (dataKey.Length != KeySize)
        {
            throw new ArgumentException($"A data key is {KeySize} bytes.", nameof(dataKey));
        }
    }

    internal static byte[] BuildHeader(Guid fileId, int segmentSize)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        header[8] = FormatVersion;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12, 4), (uint)segmentSize);
        fileId.TryWriteBytes(header.AsSpan(16, 16), bigEndian: true, out _);
        return header;
    }

    /// <summary>Associated data of one segment: the header, the segment index and the final flag (header already in place).</summary>
    private static void SetSegment(byte[] associatedData, Span<byte> nonce, long index, bool final)
    {
        BinaryPrimitives.WriteInt64BigEndian(associatedData.AsSpan(HeaderSize, 8), index);
        associatedData[HeaderSize + 8] = final ? (byte)1 : (byte)0;
        nonce[..4].Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce[4..], index);
    }

    private static byte[] NewAssociatedData(byte[] header)
    {
        var associatedData = new byte[HeaderSize + 9];
        header.CopyTo(associatedData, 0);
        return associatedData;
    }

    /// <summary>Buffers at most one segment of plaintext; writes each full segment as soon as it is complete.</summary>
    private sealed class EncryptingStream : Stream
    {
        private readonly Stream _destination;
        private readonly AesGcm _aes;
        private readonly byte[] _header;
        private readonly byte[] _associatedData;
        private readonly int _segmentSize;
        private readonly bool _leaveOpen;
        private byte[] _plain;
        private byte[] _sealed;
        private int _buffered;
        private long _index;
        private long _position;
        private bool _headerWritten;
        private bool _faulted;
        private bool _disposed;

        public EncryptingStream(Stream destination, byte[] dataKey, byte[] header, int segmentSize, bool leaveOpen)
        {
            _destination = destination;
            _aes = new AesGcm(dataKey, TagSize);
            _header = header;
            _associatedData = NewAssociatedData(header);
            _segmentSize = segmentSize;
            _leaveOpen = leaveOpen;
            _plain = ArrayPool<byte>.Shared.Rent(segmentSize);
            _sealed = ArrayPool<byte>.Shared.Rent(segmentSize + TagSize);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => !_disposed;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            ValidateBufferArguments(buffer, offset, count);
            Write(buffer.AsSpan(offset, count));
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            CheckWritable();
            try
            {
                if (!_headerWritten)
                {
                    _destination.Write(_header);
                    _headerWritten = true;
                }

                while (!buffer.IsEmpty)
                {
                    var before = buffer.Length;
                    var length = Seal(ref buffer);
                    _position += before - buffer.Length;
                    if (length > 0)
                    {
                        _destination.Write(_sealed, 0, length);
                    }
                }
            }
            catch
            {
                _faulted = true;
                throw;
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            ValidateBufferArguments(buffer, offset, count);
            return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            CheckWritable();
            try
            {
                if (!_headerWritten)
                {
                    await _destination.WriteAsync(_header, cancellationToken);
                    _headerWritten = true;
                }

                while (!buffer.IsEmpty)
                {
                    var span = buffer.Span;
                    var before = span.Length;
                    var length = Seal(ref span);
                    buffer = buffer[(before - span.Length)..];
                    _position += before - span.Length;
                    if (length > 0)
                    {
                        await _destination.WriteAsync(_sealed.AsMemory(0, length), cancellationToken);
                    }
                }
            }
            catch
            {
                _faulted = true;
                throw;
            }
        }

        public override void WriteByte(byte value) => Write([value]);

        /// <summary>Takes plaintext from <paramref name="input"/>; when a segment is complete, seals it into <see cref="_sealed"/>
        /// and returns its stored length (0 while the segment is still filling). A whole segment of input with nothing
        /// buffered is sealed straight from the caller's buffer, saving a copy.</summary>
        private int Seal(ref ReadOnlySpan<byte> input)
        {
            ReadOnlySpan<byte> segment;
            if (_buffered == 0 && input.Length >= _segmentSize)
            {
                segment = input[.._segmentSize];
                input = input[_segmentSize..];
            }
            else
            {
                var take = Math.Min(_segmentSize - _buffered, input.Length);
                input[..take].CopyTo(_plain.AsSpan(_buffered));
                _buffered += take;
                input = input[take..];
                if (_buffered < _segmentSize)
                {
                    return 0;
                }

                segment = _plain.AsSpan(0, _segmentSize);
            }

            _buffered = 0;
            return SealSegment(segment, final: false);
        }

        private int SealSegment(ReadOnlySpan<byte> plaintext, bool final)
        {
            Span<byte> nonce = stackalloc byte[NonceSize];
            SetSegment(_associatedData, nonce, _index, final);
            _aes.Encrypt(nonce, plaintext, _sealed.AsSpan(0, plaintext.Length), _sealed.AsSpan(plaintext.Length, TagSize), _associatedData);
            _index++;
            return plaintext.Length + TagSize;
        }

        private void CheckWritable()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_faulted)
            {
                throw new InvalidOperationException("An earlier write to the encrypted file failed; the file is incomplete.");
            }
        }

        public override void Flush()
        {
            // Only whole segments are ever written, so there is nothing partial to push; flushing the destination is harmless.
            if (!_disposed)
            {
                _destination.Flush();
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) =>
            _disposed ? Task.CompletedTask : _destination.FlushAsync(cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                try
                {
                    // A failed write leaves the file without its final segment, so a reader reports it as incomplete.
                    if (!_faulted)
                    {
                        if (!_headerWritten)
                        {
                            _destination.Write(_header);
                        }

                        var length = SealSegment(_plain.AsSpan(0, _buffered), final: true);
                        _destination.Write(_sealed, 0, length);
                        _destination.Flush();
                    }
                }
                finally
                {
                    Release();
                    if (!_leaveOpen)
                    {
                        _destination.Dispose();
                    }
                }
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            if (!_disposed)
            {
                _disposed = true;
                try
                {
                    if (!_faulted)
                    {
                        if (!_headerWritten)
                        {
                            await _destination.WriteAsync(_header);
                        }

                        var length = SealSegment(_plain.AsSpan(0, _buffered), final: true);
                        await _destination.WriteAsync(_sealed.AsMemory(0, length));
                        await _destination.FlushAsync();
                    }
                }
                finally
                {
                    Release();
                    if (!_leaveOpen)
                    {
                        await _destination.DisposeAsync();
                    }
                }
            }

            await base.DisposeAsync();
        }

        private void Release()
        {
            _aes.Dispose();
            ArrayPool<byte>.Shared.Return(_plain, clearArray: true);
            ArrayPool<byte>.Shared.Return(_sealed);
            _plain = [];
            _sealed = [];
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Reads, authenticates and only then hands out one segment at a time.</summary>
    private sealed class DecryptingStream : Stream
    {
        private readonly Stream _source;
        private readonly AesGcm _aes;
        private readonly Guid _fileId;
        private readonly bool _leaveOpen;
        private byte[]? _associatedData;
        private byte[] _sealed = [];
        private byte[] _plain = [];
        private int _segmentSize;
        private int _offset;
        private int _available;
        private long _index;
        private long _position;
        private bool _finalSeen;
        private AttachmentIntegrityException? _failure;
        private bool _disposed;

        public DecryptingStream(Stream source, byte[] dataKey, Guid fileId, bool leaveOpen)
        {
            _source = source;
            _aes = new AesGcm(dataKey, TagSize);
            _fileId = fileId;
            _leaveOpen = leaveOpen;
        }

        public override bool CanRead => !_disposed;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            ValidateBufferArguments(buffer, offset, count);
            return Read(buffer.AsSpan(offset, count));
        }

        public override int Read(Span<byte> buffer)
        {
            CheckReadable();
            if (buffer.IsEmpty)
            {
                return 0;
            }

            while (_available == 0 && !_finalSeen)
            {
                if (_associatedData is null)
                {
                    var header = new byte[HeaderSize];
                    OpenHeader(header, _source.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false));
                }

                Open(_source.ReadAtLeast(_sealed.AsSpan(0, _segmentSize + TagSize), _segmentSize + TagSize, throwOnEndOfStream: false));
            }

            return Take(buffer);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            ValidateBufferArguments(buffer, offset, count);
            return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            CheckReadable();
            if (buffer.IsEmpty)
            {
                return 0;
            }

            while (_available == 0 && !_finalSeen)
            {
                if (_associatedData is null)
                {
                    var header = new byte[HeaderSize];
                    OpenHeader(header, await _source.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken));
                }

                Open(await _source.ReadAtLeastAsync(_sealed.AsMemory(0, _segmentSize + TagSize), _segmentSize + TagSize,
                    throwOnEndOfStream: false, cancellationToken));
            }

            return Take(buffer.Span);
        }

        private int Take(Span<byte> buffer)
        {
            var count = Math.Min(buffer.Length, _available);
            _plain.AsSpan(_offset, count).CopyTo(buffer);
            _offset += count;
            _available -= count;
            _position += count;
            return count;
        }

        private void OpenHeader(byte[] header, int read)
        {
            if (read < HeaderSize)
            {
                Fail("The stored file is incomplete.");
            }

            var segmentSize = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12, 4));
            if (!header.AsSpan(0, 8).SequenceEqual(Magic) || header[8] != FormatVersion || header[9] != 0 || header[10] != 0 || header[11] != 0
                || segmentSize is < MinSegmentSize or > MaxSegmentSize)
            {
                Fail("The stored file is not in a recognised encrypted format.");
            }

            if (new Guid(header.AsSpan(16, 16), bigEndian: true) != _fileId)
            {
                Fail("The stored file belongs to another attachment.");
            }

            _segmentSize = (int)segmentSize;
            _sealed = ArrayPool<byte>.Shared.Rent(_segmentSize + TagSize);
            _plain = ArrayPool<byte>.Shared.Rent(_segmentSize);
            _associatedData = NewAssociatedData(header);
        }

        /// <summary>A full read is a middle segment; a short read (end of source) must be the final segment.</summary>
        private void Open(int read)
        {
            if (read == 0)
            {
                Fail("The stored file is incomplete.");
            }

            if (read < TagSize)
            {
                Fail("The stored file is damaged: a segment is shorter than its tag.");
            }

            var final = read < _segmentSize + TagSize;
            var length = read - TagSize;
            Span<byte> nonce = stackalloc byte[NonceSize];
            SetSegment(_associatedData!, nonce, _index, final);
            try
            {
                _aes.Decrypt(nonce, _sealed.AsSpan(0, length), _sealed.AsSpan(length, TagSize), _plain.AsSpan(0, length), _associatedData);
            }
            catch (CryptographicException e)
            {
                _failure = new AttachmentIntegrityException(
                    $"The stored file failed authentication at segment {_index}: it was altered, truncated, reordered or is not this attachment's file.", e);
                throw _failure;
            }

            _index++;
            _offset = 0;
            _available = length;
            _finalSeen = final;
        }

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        private void Fail(string message)
        {
            _failure = new AttachmentIntegrityException(message);
            throw _failure;
        }

        private void CheckReadable()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_failure is not null)
            {
                throw new AttachmentIntegrityException(_failure.Message, _failure);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                Release();
                if (!_leaveOpen)
                {
                    _source.Dispose();
                }
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            if (!_disposed)
            {
                _disposed = true;
                Release();
                if (!_leaveOpen)
                {
                    await _source.DisposeAsync();
                }
            }

            await base.DisposeAsync();
        }

        private void Release()
        {
            _aes.Dispose();
            if (_plain.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_plain, clearArray: true);
                ArrayPool<byte>.Shared.Return(_sealed);
            }

            _plain = [];
            _sealed = [];
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
