using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Sdes.Infrastructure.Attachments;

/// <summary>The embedded default: one file per object under <c>root/xx/name</c>, where <c>xx</c> is the first byte of
/// SHA-256(name) in hex. Hashing spreads version-7 GUIDs, whose leading characters are a timestamp, over 256 folders.</summary>
/// <remarks>A write goes to <c>.name.random.tmp</c> in the same folder and is moved into place, without overwriting, when
/// its stream is disposed, so readers and <see cref="ListAsync"/> only ever see whole objects. A crashed process leaves its
/// temp file behind: <see cref="ListAsync"/> (run by the orphan sweeper) deletes temp files older than
/// <see cref="StaleTempAge"/> and never lists temp files.</remarks>
internal sealed class LocalFolderAttachmentStore : IAttachmentStore
{
    public static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);
    private const string TempSuffix = ".tmp";
    private readonly TimeProvider _timeProvider;

    public LocalFolderAttachmentStore(string root, TimeProvider timeProvider)
    {
        Root = Path.GetFullPath(root);
        _timeProvider = timeProvider;
    }

    public string Root { get; }

    /// <summary>Where the committed object lives (tests and operators; never derived from user input).</summary>
    public string PathOf(string name)
    {
        AttachmentObjectName.Validate(name);
        return Path.Combine(Root, FanOut(name), name);
    }

    public Task<Stream> OpenWriteAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        cancellationToken.ThrowIfCancellationRequested();
        if (File.Exists(path))
        {
            throw AlreadyExists(name);
        }

        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}{TempSuffix}");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return Task.FromResult<Stream>(new CommittingStream(new FileStream(temp, options), temp, path, name));
    }

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 4096,
                FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"No attachment object named '{name}'.", name, e);
        }
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Never written: already gone.
        }

        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(name)));

    public async IAsyncEnumerable<StoredObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (!Directory.Exists(Root))
        {
            yield break;
        }

        var staleBefore = _timeProvider.GetUtcNow().UtcDateTime - StaleTempAge;
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            var folderName = Path.GetFileName(folder);
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var info = new FileInfo(file);
                if (!info.Exists)
                {
                    continue;
                }

                if (info.Name.StartsWith('.') && info.Name.EndsWith(TempSuffix, StringComparison.Ordinal))
                {
                    if (info.LastWriteTimeUtc < staleBefore)
                    {
                        DeleteQuietly(file);
                    }

                    continue;
                }

                if (AttachmentObjectName.IsValid(info.Name) && FanOut(info.Name) == folderName)
                {
                    yield return new StoredObject(info.Name, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), info.Length);
                }
            }
        }
    }

    private static string FanOut(string name)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.ASCII.GetBytes(name), hash);
        return Convert.ToHexStringLower(hash[..1]);
    }

    private static IOException AlreadyExists(string name) => new($"An attachment object named '{name}' already exists; objects are never overwritten.");

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Next sweep.
        }
        catch (UnauthorizedAccessException)
        {
            // Next sweep.
        }
    }

    /// <summary>Writes to the temp file; on dispose, after every write succeeded, flushes to disk and moves it into place.
    /// A failed write leaves nothing behind; a caller that gives up for other reasons (virus found) deletes the object.</summary>
    private sealed class CommittingStream(FileStream inner, string tempPath, string finalPath, string name) : Stream
    {
        private bool _faulted;
        private bool _disposed;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => !_disposed;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            try
            {
                inner.Write(buffer);
            }
            catch
            {
                _faulted = true;
                throw;
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                await inner.WriteAsync(buffer, cancellationToken);
            }
            catch
            {
                _faulted = true;
                throw;
            }
        }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                Commit(() =>
                {
                    inner.Flush(flushToDisk: true);
                    inner.Dispose();
                });
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
                        await inner.FlushAsync();
                        inner.Flush(flushToDisk: true);
                    }
                }
                catch
                {
                    _faulted = true;
                    throw;
                }
                finally
                {
                    Commit(inner.Dispose);
                }
            }

            await base.DisposeAsync();
        }

        private void Commit(Action flushAndClose)
        {
            try
            {
                if (!_faulted)
                {
                    flushAndClose();
                }
            }
            catch
            {
                _faulted = true;
                throw;
            }
            finally
            {
                inner.Dispose();
                if (_faulted)
                {
                    File.Delete(tempPath);
                }
            }

            if (_faulted)
            {
                return;
            }

            try
            {
                File.Move(tempPath, finalPath, overwrite: false);
            }
            catch (IOException) when (File.Exists(finalPath))
            {
                File.Delete(tempPath);
                throw AlreadyExists(name);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
