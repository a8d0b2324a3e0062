using System.Security.Cryptography;
using Sdes.Infrastructure.Attachments;

namespace Sdes.Tests.Attachments;

/// <summary>What every <see cref="IAttachmentStore"/> promises; run once per store.</summary>
public abstract class AttachmentStoreContractTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract IAttachmentStore Store { get; }

    /// <summary>Changes one stored byte behind the store's back (as an attacker with storage access could).</summary>
    protected abstract Task FlipStoredByteAsync(string name, long offset);

    protected static string NewName() => Guid.CreateVersion7().ToString("N");

    protected async Task WriteAsync(string name, byte[] bytes)
    {
        await using var stream = await Store.OpenWriteAsync(name, None);
        await stream.WriteAsync(bytes);
    }

    protected async Task<byte[]> ReadAsync(string name)
    {
        await using var stream = await Store.OpenReadAsync(name, None);
        using var result = new MemoryStream();
        await stream.CopyToAsync(result);
        return result.ToArray();
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData((2 * 4 * 1024 * 1024) + 123, true)]
    [InlineData((2 * 4 * 1024 * 1024) + 123, false)]
    public async Task OpenWriteAsync_ThenOpenReadAsync_ReturnsIdenticalBytes(int length, bool useAsync)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);
        var name = NewName();

        var stream = await Store.OpenWriteAsync(name, None);
        for (var offset = 0; offset < length; offset += 100_003)
        {
            var count = Math.Min(100_003, length - offset);
            if (useAsync)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, count));
            }
            else
            {
                stream.Write(bytes, offset, count);
            }
        }

        if (useAsync)
        {
            await stream.DisposeAsync();
        }
        else
        {
            stream.Dispose();
        }

        Assert.Equal(bytes, await ReadAsync(name));
    }

    [Fact]
    public async Task ExistsAsync_ForAWrittenAndAMissingName_ReportsEach()
    {
        var name = NewName();
        await WriteAsync(name, [1, 2, 3]);

        Assert.True(await Store.ExistsAsync(name, None));
        Assert.False(await Store.ExistsAsync(NewName(), None));
    }

    [Fact]
    public async Task DeleteAsync_Twice_RemovesTheObjectWithoutError()
    {
        var name = NewName();
        await WriteAsync(name, [1, 2, 3]);

        await Store.DeleteAsync(name, None);
        await Store.DeleteAsync(name, None);
        await Store.DeleteAsync(NewName(), None);

        Assert.False(await Store.ExistsAsync(name, None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.OpenReadAsync(name, None));
    }

    [Fact]
    public async Task OpenReadAsync_OfAMissingName_ThrowsFileNotFound()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.OpenReadAsync(NewName(), None));
    }

    [Fact]
    public async Task OpenWriteAsync_ForAnExistingName_RefusesAndKeepsTheOriginal()
    {
        var name = NewName();
        await WriteAsync(name, [1, 2, 3]);

        await Assert.ThrowsAsync<IOException>(() => WriteAsync(name, [9, 9, 9, 9]));

        Assert.Equal([1, 2, 3], await ReadAsync(name));
    }

    [Fact]
    public async Task OpenWriteAsync_TwoWritersOfOneName_FirstToFinishWinsAndTheSecondIsRefused()
    {
        var name = NewName();
        var first = await Store.OpenWriteAsync(name, None);
        var second = await Store.OpenWriteAsync(name, None);
        await first.WriteAsync(new byte[] { 1, 1 });
        await second.WriteAsync(new byte[] { 2, 2, 2 });

        await first.DisposeAsync();
        await Assert.ThrowsAsync<IOException>(async () => await second.DisposeAsync());

        Assert.Equal([1, 1], await ReadAsync(name));
    }

    [Fact]
    public async Task ListAsync_AfterWrites_ShowsEachObjectWithItsSize()
    {
        var small = NewName();
        var large = NewName();
        var deleted = NewName();
        await WriteAsync(small, new byte[10]);
        await WriteAsync(large, new byte[70_000]);
        await WriteAsync(deleted, new byte[1]);
        await Store.DeleteAsync(deleted, None);
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);

        var listed = await ListAsync();

        Assert.Equal([(small, 10L), (large, 70_000L)], listed.Where(o => o.Name == small || o.Name == large).OrderBy(o => o.Length)
            .Select(o => (o.Name, o.Length)));
        Assert.DoesNotContain(listed, o => o.Name == deleted);
        Assert.All(listed, o => Assert.InRange(o.LastModified, before, DateTimeOffset.UtcNow.AddMinutes(5)));
    }

    [Fact]
    public async Task OpenWriteAsync_BeforeTheStreamIsDisposed_ObjectIsNotVisible()
    {
        var name = NewName();
        var stream = await Store.OpenWriteAsync(name, None);
        await stream.WriteAsync(RandomNumberGenerator.GetBytes((4 * 1024 * 1024) + 10));
        await stream.FlushAsync();

        Assert.False(await Store.ExistsAsync(name, None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.OpenReadAsync(name, None));
        Assert.DoesNotContain(await ListAsync(), o => o.Name == name);

        await stream.DisposeAsync();

        Assert.True(await Store.ExistsAsync(name, None));
        Assert.Contains(await ListAsync(), o => o.Name == name && o.Length == (4 * 1024 * 1024) + 10);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("/abc")]
    [InlineData("ABC")]
    [InlineData("a.b")]
    [InlineData("a b")]
    [InlineData(".abc.tmp")]
    public async Task AllOperations_WithAnUnsafeName_ThrowArgumentException(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenWriteAsync(name, None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(name, None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(name, None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ExistsAsync(name, None));
    }

    [Fact]
    public async Task OpenWriteAsync_WithANameOf81Characters_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenWriteAsync(new string('a', 81), None));
        await WriteAsync(new string('a', 80), [1]);
    }

    [Fact]
    public async Task EncryptToTheStore_StoredBytes_AreNotThePlaintextAndDecrypt()
    {
        var encryption = AttachmentEncryptionTests.Ring("k1", "k1");
        using var fileKey = encryption.NewFileKey();
        var fileId = Guid.CreateVersion7();
        var plain = new byte[200_000];
        for (var i = 0; i < plain.Length; i++)
        {
            plain[i] = (byte)('A' + (i % 23));
        }

        await using (var encrypting = encryption.EncryptTo(await Store.OpenWriteAsync(fileId.ToString("N"), None), fileKey.DataKey, fileId))
        {
            await encrypting.WriteAsync(plain);
        }

        var stored = await ReadAsync(fileId.ToString("N"));
        Assert.Equal(-1, stored.AsSpan().IndexOf(plain.AsSpan(0, 23)));
        await using var decrypting = encryption.DecryptFrom(await Store.OpenReadAsync(fileId.ToString("N"), None), fileKey.DataKey, fileId);
        using var result = new MemoryStream();
        await decrypting.CopyToAsync(result);
        Assert.Equal(plain, result.ToArray());
    }

    [Theory]
    [InlineData(20)]
    [InlineData(AttachmentEncryption.HeaderSize + 70_000)]
    [InlineData(-1)]
    public async Task DecryptFrom_AfterOneStoredByteIsFlipped_ThrowsIntegrity(long offset)
    {
        var encryption = AttachmentEncryptionTests.Ring("k1", "k1");
        using var fileKey = encryption.NewFileKey();
        var fileId = Guid.CreateVersion7();
        var name = fileId.ToString("N");
        await using (var encrypting = encryption.EncryptTo(await Store.OpenWriteAsync(name, None), fileKey.DataKey, fileId))
        {
            await encrypting.WriteAsync(RandomNumberGenerator.GetBytes(150_000));
        }

        var length = (await ReadAsync(name)).Length;
        await FlipStoredByteAsync(name, offset < 0 ? length - 1 : offset);

        await using var decrypting = encryption.DecryptFrom(await Store.OpenReadAsync(name, None), fileKey.DataKey, fileId);
        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => decrypting.CopyToAsync(Stream.Null));
    }

    protected async Task<List<StoredObject>> ListAsync()
    {
        var result = new List<StoredObject>();
        await foreach (var item in Store.ListAsync(None))
        {
            result.Add(item);
        }

        return result;
    }
}
