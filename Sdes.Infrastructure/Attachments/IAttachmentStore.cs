namespace Sdes.Infrastructure.Attachments;

/// <summary>Where encrypted file bytes live: Azure Blob Storage in production, a local folder in the embedded default.
/// Names are ids chosen by SDES (never user file names); the bytes given are already ciphertext.</summary>
public interface IAttachmentStore
{
    /// <summary>Opens a stream that writes a new object. The object becomes visible under <paramref name="name"/> only when
    /// the stream is disposed after a successful write; an object that already exists is never overwritten.</summary>
    Task<Stream> OpenWriteAsync(string name, CancellationToken cancellationToken);

    /// <summary>Opens the object for reading; throws <see cref="FileNotFoundException"/> if it does not exist.</summary>
    Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Deletes the object; no error if it is already gone.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every object with its last-modified time, for the orphan sweeper.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(CancellationToken cancellationToken);
}

public sealed record StoredObject(string Name, DateTimeOffset LastModified, long Length);
