using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Sdes.Infrastructure.Attachments;

/// <summary>Production store: one block blob per object, named by its id, in one private container.</summary>
/// <remarks>Writes stage blocks and commit the block list once, on dispose, with <c>If-None-Match: *</c>. Uncommitted
/// blocks are invisible to reads, <see cref="ExistsAsync"/> and listing, so an object appears whole or not at all and is
/// never overwritten. The SDK's own <c>BlockBlobClient.OpenWriteAsync</c> only supports overwrite: true and creates an empty
/// blob when it opens, which would be visible (as a zero-length object) during the upload. Blocks staged by a write that
/// is never committed are discarded by the service after seven days.</remarks>
internal sealed class AzureBlobAttachmentStore : IAttachmentStore
{
    /// <summary>One buffered block per upload; 4 MiB keeps round trips few without holding much memory.</summary>
    internal const int BlockSize = 4 * 1024 * 1024;

    private readonly BlobContainerClient _container;
    private volatile bool _containerReady;

    public AzureBlobAttachmentStore(BlobContainerClient container) => _container = container;

    public BlobContainerClient Container => _container;

    public static BlobClientOptions ClientOptions()
    {
        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
        return options;
    }

    public static AzureBlobAttachmentStore Create(string connectionString, string containerName) =>
        new(new BlobServiceClient(connectionString, ClientOptions()).GetBlobContainerClient(containerName));

    public async Task<Stream> OpenWriteAsync(string name, CancellationToken cancellationToken)
    {
        var blob = Blob(name);
        await EnsureContainerAsync(cancellationToken);
        if ((await blob.ExistsAsync(cancellationToken)).Value)
        {
            throw AlreadyExists(name);
        }

        return new BlockWriteStream(blob, name);
    }

    public async Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        var blob = Blob(name);
        try
        {
            // allowModifications: false pins the read to the blob's ETag, so a concurrent change fails the read.
            return await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"No attachment object named '{name}'.", name, e);
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var blob = Blob(name);
        try
        {
            await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Container not created yet: nothing to delete.
        }
    }

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) =>
        (await Blob(name).ExistsAsync(cancellationToken)).Value;

    public async IAsyncEnumerable<StoredObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        await foreach (var item in _container.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            if (AttachmentObjectName.IsValid(item.Name))
            {
                yield return new StoredObject(item.Name, item.Properties.LastModified ?? DateTimeOffset.MinValue, item.Properties.ContentLength ?? 0);
            }
        }
    }

    private BlockBlobClient Blob(string name)
    {
        AttachmentObjectName.Validate(name);
        return _container.GetBlockBlobClient(name);
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_containerReady)
        {
            await _container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
            _containerReady = true;
        }
    }

    private static IOException AlreadyExists(string name) => new($"An attachment object named '{name}' already exists; objects are never overwritten.");

    /// <summary>Buffers one block; stages each full block; commits the list on dispose unless a write failed.</summary>
    private sealed class BlockWriteStream : Stream
    {
        private static readonly CommitBlockListOptions CommitOptions = new() { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
        private readonly BlockBlobClient _blob;
        private readonly string _name;
        private readonly List<string> _blockIds = [];

        // Block ids are per blob, so two concurrent writers of one name must not reuse each other's ids.
        private readonly Guid _writer = Guid.NewGuid();
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BlockSize);

        // Async writes stage one block while the next fills (the upload keeps feeding clamd meanwhile).
        private byte[] _spare = [];
        private Task? _inFlight;
        private int _buffered;
        private long _position;
        private bool _faulted;
        private bool _disposed;

        public BlockWriteStream(BlockBlobClient blob, string name)
        {
            _blob = blob;
            _name = name;
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
                while (!buffer.IsEmpty)
                {
                    var take = Fill(buffer);
                    buffer = buffer[take..];
                    if (_buffered == BlockSize)
                    {
                        DrainAsync().GetAwaiter().GetResult();
                        using var content = new MemoryStream(_buffer, 0, _buffered, writable: false);
                        _blob.StageBlock(NextBlockId(), content);
                        _buffered = 0;
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
                while (!buffer.IsEmpty)
                {
                    var take = Fill(buffer.Span);
                    buffer = buffer[take..];
                    if (_buffered == BlockSize)
                    {
                        await StageAsync(cancellationToken);
                    }
                }
            }
            catch
            {
                _faulted = true;
                throw;
            }
        }

        private int Fill(ReadOnlySpan<byte> input)
        {
            var take = Math.Min(BlockSize - _buffered, input.Length);
            input[..take].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += take;
            _position += take;
            return take;
        }

        private async Task StageAsync(CancellationToken cancellationToken)
        {
            await DrainAsync();
            var full = _buffer;
            var length = _buffered;
            _inFlight = StageBlockAsync(NextBlockId(), full, length, cancellationToken);
            _buffer = _spare.Length > 0 ? _spare : ArrayPool<byte>.Shared.Rent(BlockSize);
            _spare = full;
            _buffered = 0;
        }

        private async Task StageBlockAsync(string blockId, byte[] bytes, int length, CancellationToken cancellationToken)
        {
            using var content = new MemoryStream(bytes, 0, length, writable: false);
            await _blob.StageBlockAsync(blockId, content, cancellationToken: cancellationToken);
        }

        private async Task DrainAsync()
        {
            if (_inFlight is { } pending)
            {
                _inFlight = null;
                await pending;
            }
        }

        private string NextBlockId()
        {
            Span<byte> id = stackalloc byte[20];
            _writer.TryWriteBytes(id[..16]);
            BinaryPrimitives.WriteInt32BigEndian(id[16..], _blockIds.Count);
            var encoded = Convert.ToBase64String(id);
            _blockIds.Add(encoded);
            return encoded;
        }

        private void CheckWritable()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_faulted)
            {
                throw new InvalidOperationException("An earlier write to this object failed; it will not be committed.");
            }
        }

        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                try
                {
                    if (!_faulted)
                    {
                        DrainAsync().GetAwaiter().GetResult();
                        if (_buffered > 0)
                        {
                            using var content = new MemoryStream(_buffer, 0, _buffered, writable: false);
                            _blob.StageBlock(NextBlockId(), content);
                        }

                        CommitOrThrow(() => _blob.CommitBlockList(_blockIds, CommitOptions));
                    }
                }
                finally
                {
                    Release();
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
                        if (_buffered > 0)
                        {
                            await StageAsync(CancellationToken.None);
                        }

                        await DrainAsync();
                        try
                        {
                            await _blob.CommitBlockListAsync(_blockIds, CommitOptions);
                        }
                        catch (RequestFailedException e) when (e.Status is 409 or 412)
                        {
                            throw AlreadyExists(_name);
                        }
                    }
                }
                finally
                {
                    if (_inFlight is { } orphan)
                    {
                        // A failed write left a block upload running: let it finish before its buffer goes back to the pool.
                        await orphan.ContinueWith(_ => { }, TaskScheduler.Default);
                    }

                    Release();
                }
            }

            await base.DisposeAsync();
        }

        private void CommitOrThrow(Action commit)
        {
            try
            {
                commit();
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                throw AlreadyExists(_name);
            }
        }

        private void Release()
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }

            if (_spare.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_spare);
                _spare = [];
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
