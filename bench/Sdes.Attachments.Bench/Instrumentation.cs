using System.Diagnostics;
using System.Runtime.CompilerServices;
using Sdes.Infrastructure.Attachments;
using Sdes.Infrastructure.Scanning;

namespace Sdes.Attachments.Bench;

/// <summary>Where one instrumented pipeline run spent its time, in Stopwatch ticks. Scan writes run concurrently with
/// encryption and the store write, so the parts add up to more than the wall time when they overlap.</summary>
internal sealed class Phases
{
    public long ScanConnect;
    public long ScanWrites;
    public long ScanVerdict;
    public long StoreOpen;
    public long StoreWrites;
    public long StoreCommit;

    public void Reset() => ScanConnect = ScanWrites = ScanVerdict = StoreOpen = StoreWrites = StoreCommit = 0;

    public static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;
}

/// <summary>Measures the scanner calls the ingestor makes: connect + INSTREAM command, each chunk's write until clamd's
/// socket took it, and the wait for the verdict after the last chunk (clamd scans the whole stream only then).</summary>
internal sealed class TimingScanner(IVirusScanner inner, Phases phases) : IVirusScanner
{
    public async Task<IVirusScanSession> StartAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var session = await inner.StartAsync(cancellationToken);
        phases.ScanConnect += Stopwatch.GetTimestamp() - start;
        return new Session(session, phases);
    }

    public Task<ScanVerdict> ScanAsync(Stream content, CancellationToken cancellationToken) => inner.ScanAsync(content, cancellationToken);

    public Task<string> VersionAsync(CancellationToken cancellationToken) => inner.VersionAsync(cancellationToken);

    private sealed class Session(IVirusScanSession inner, Phases phases) : IVirusScanSession
    {
        public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            var pending = inner.WriteAsync(bytes, cancellationToken);
            if (pending.IsCompletedSuccessfully)
            {
                phases.ScanWrites += Stopwatch.GetTimestamp() - start;
                return pending;
            }

            return Await(pending, start);
        }

        private async ValueTask Await(ValueTask pending, long start)
        {
            await pending;
            phases.ScanWrites += Stopwatch.GetTimestamp() - start;
        }

        public async Task<ScanVerdict> CompleteAsync(CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            var verdict = await inner.CompleteAsync(cancellationToken);
            phases.ScanVerdict += Stopwatch.GetTimestamp() - start;
            return verdict;
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

/// <summary>Measures the store: opening the object, every write of ciphertext, and the commit when the stream is disposed
/// (the local store's rename; the blob store's last block and block-list commit).</summary>
internal sealed class TimingStore(IAttachmentStore inner, Phases phases) : IAttachmentStore
{
    public async Task<Stream> OpenWriteAsync(string name, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var stream = await inner.OpenWriteAsync(name, cancellationToken);
        phases.StoreOpen += Stopwatch.GetTimestamp() - start;
        return new TimingWriteStream(stream, phases);
    }

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken) => inner.OpenReadAsync(name, cancellationToken);

    public Task DeleteAsync(string name, CancellationToken cancellationToken) => inner.DeleteAsync(name, cancellationToken);

    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => inner.ExistsAsync(name, cancellationToken);

    public IAsyncEnumerable<StoredObject> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    private sealed class TimingWriteStream(Stream inner, Phases phases) : WriteOnlyStream
    {
        private bool _innerDisposed;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var start = Stopwatch.GetTimestamp();
            inner.Write(buffer);
            phases.StoreWrites += Stopwatch.GetTimestamp() - start;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var start = Stopwatch.GetTimestamp();
            await inner.WriteAsync(buffer, cancellationToken);
            phases.StoreWrites += Stopwatch.GetTimestamp() - start;
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_innerDisposed)
            {
                _innerDisposed = true;
                var start = Stopwatch.GetTimestamp();
                inner.Dispose();
                phases.StoreCommit += Stopwatch.GetTimestamp() - start;
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            if (!_innerDisposed)
            {
                _innerDisposed = true;
                var start = Stopwatch.GetTimestamp();
                await inner.DisposeAsync();
                phases.StoreCommit += Stopwatch.GetTimestamp() - start;
            }

            await base.DisposeAsync();
        }
    }
}

/// <summary>A store that keeps nothing: the pipeline without any storage cost.</summary>
internal sealed class NullStore : IAttachmentStore
{
    public Task<Stream> OpenWriteAsync(string name, CancellationToken cancellationToken) => Task.FromResult<Stream>(new NullWriteStream());

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken) => throw new FileNotFoundException(name);

    public Task DeleteAsync(string name, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(false);

    public async IAsyncEnumerable<StoredObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        yield break;
    }

    private sealed class NullWriteStream : WriteOnlyStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) { }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public override void Flush() { }
    }
}

/// <summary>A scanner that is never reachable: the ingestor then skips scanning (the file stays pending), which leaves
/// read + content check + encryption + store.</summary>
internal sealed class UnreachableScanner : IVirusScanner
{
    public Task<IVirusScanSession> StartAsync(CancellationToken cancellationToken) =>
        Task.FromException<IVirusScanSession>(new ScannerUnavailableException("benchmark: scanning switched off"));

    public Task<ScanVerdict> ScanAsync(Stream content, CancellationToken cancellationToken) =>
        Task.FromException<ScanVerdict>(new ScannerUnavailableException("benchmark: scanning switched off"));

    public Task<string> VersionAsync(CancellationToken cancellationToken) =>
        Task.FromException<string>(new ScannerUnavailableException("benchmark: scanning switched off"));
}

/// <summary>A read-only view of a byte array that hands out at most <c>maxRead</c> bytes per read, as the stream of
/// Blazor Server's IBrowserFile does (it arrives over SignalR in 32 KiB pieces).</summary>
internal sealed class ChunkedReadStream(byte[] bytes, int maxRead) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => bytes.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = Math.Min(Math.Min(buffer.Length, maxRead), bytes.Length - _position);
        bytes.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

internal abstract class WriteOnlyStream : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public abstract override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
