using Microsoft.Extensions.Time.Testing;
using Sdes.Infrastructure.Attachments;

namespace Sdes.Tests.Attachments;

public sealed class LocalFolderAttachmentStoreTests : AttachmentStoreContractTests, IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sdes-attachments-");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly LocalFolderAttachmentStore _store;

    public LocalFolderAttachmentStoreTests() => _store = new LocalFolderAttachmentStore(_root.FullName, _time);

    protected override IAttachmentStore Store => _store;

    protected override async Task FlipStoredByteAsync(string name, long offset)
    {
        await using var file = new FileStream(_store.PathOf(name), FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var value = (byte)file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0x01));
    }

    [Fact]
    public async Task OpenWriteAsync_AfterDispose_LeavesOnlyTheObjectInItsFanOutFolder()
    {
        var name = NewName();

        await WriteAsync(name, [1, 2, 3]);

        var path = _store.PathOf(name);
        Assert.Equal(Path.Combine(_root.FullName, Path.GetFileName(Path.GetDirectoryName(path)!), name), path);
        Assert.Matches("^[0-9a-f]{2}$", Path.GetFileName(Path.GetDirectoryName(path)!));
        Assert.Equal([path], Directory.GetFiles(_root.FullName, "*", SearchOption.AllDirectories));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task OpenWriteAsync_BeforeDispose_WritesOnlyATempFile()
    {
        var name = NewName();

        await using (var stream = await Store.OpenWriteAsync(name, CancellationToken.None))
        {
            await stream.WriteAsync(new byte[] { 1, 2, 3 });
            await stream.FlushAsync();

            var file = Assert.Single(Directory.GetFiles(_root.FullName, "*", SearchOption.AllDirectories));
            Assert.StartsWith($".{name}.", Path.GetFileName(file), StringComparison.Ordinal);
            Assert.EndsWith(".tmp", file, StringComparison.Ordinal);
        }

        Assert.Equal([_store.PathOf(name)], Directory.GetFiles(_root.FullName, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ListAsync_WithTempFiles_DeletesOnlyThoseOlderThanAnHourAndListsNone()
    {
        var committed = NewName();
        await WriteAsync(committed, [1]);
        var folder = Path.GetDirectoryName(_store.PathOf(committed))!;
        var stale = Path.Combine(folder, $".{NewName()}.{Guid.NewGuid():N}.tmp");
        var fresh = Path.Combine(folder, $".{NewName()}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllBytesAsync(stale, [1]);
        await File.WriteAllBytesAsync(fresh, [1]);
        var now = _time.GetUtcNow().UtcDateTime;
        File.SetLastWriteTimeUtc(stale, now - TimeSpan.FromMinutes(61));
        File.SetLastWriteTimeUtc(fresh, now - TimeSpan.FromMinutes(59));

        var listed = await ListAsync();

        Assert.Equal([committed], listed.Select(o => o.Name));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public async Task ListAsync_WithForeignFiles_IgnoresThem()
    {
        Directory.CreateDirectory(Path.Combine(_root.FullName, "zz"));
        await File.WriteAllBytesAsync(Path.Combine(_root.FullName, "zz", "not-in-its-fan-out-folder"), [1]);
        await File.WriteAllBytesAsync(Path.Combine(_root.FullName, "README.txt"), [1]);

        Assert.Empty(await ListAsync());
    }

    [Fact]
    public async Task ListAsync_OfARootThatDoesNotExistYet_IsEmpty()
    {
        var store = new LocalFolderAttachmentStore(Path.Combine(_root.FullName, "never-created"), _time);

        await foreach (var item in store.ListAsync(CancellationToken.None))
        {
            Assert.Fail($"Unexpected {item.Name}");
        }
    }

    public void Dispose() => _root.Delete(recursive: true);
}
