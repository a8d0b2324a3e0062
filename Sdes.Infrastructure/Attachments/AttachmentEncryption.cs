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

    public void Dispose() => System.Security.Cryptography.CryptographicOperations.ZeroMemory(DataKey);
}

/// <summary>Stored bytes failed authentication (tampered, truncated, reordered) or the key is unknown.</summary>
public sealed class AttachmentIntegrityException : Exception
{
    public AttachmentIntegrityException(string message) : base(message) { }

    public AttachmentIntegrityException(string message, Exception innerException) : base(message, innerException) { }

    public AttachmentIntegrityException() { }
}

/// <summary>AES-256-GCM in fixed-size segments with a random data key per file, wrapped by a master key from the key ring.</summary>
public sealed class AttachmentEncryption
{
    public FileKey NewFileKey() => throw new NotImplementedException();

    public byte[] Unwrap(WrappedKey wrapped) => throw new NotImplementedException();

    /// <summary>The same data key wrapped by the active master key (key rotation without re-encrypting files).</summary>
    public WrappedKey Rewrap(WrappedKey wrapped) => throw new NotImplementedException();

    public string ActiveKeyId => throw new NotImplementedException();

    /// <summary>A write-only stream: plaintext written to it goes to <paramref name="destination"/> as ciphertext. Disposing it
    /// writes the final segment (then disposes the destination unless <paramref name="leaveOpen"/>).</summary>
    public Stream EncryptTo(Stream destination, byte[] dataKey, Guid fileId, bool leaveOpen = false) => throw new NotImplementedException();

    /// <summary>A read-only stream of plaintext; throws <see cref="AttachmentIntegrityException"/> as soon as a segment fails
    /// authentication, and at the end if the final segment is missing.</summary>
    public Stream DecryptFrom(Stream source, byte[] dataKey, Guid fileId, bool leaveOpen = false) => throw new NotImplementedException();
}
