using System.Diagnostics;
using System.Security.Cryptography;
using Sdes.Infrastructure.Attachments;
using Xunit.Abstractions;

namespace Sdes.Tests.Attachments;

public sealed class AttachmentEncryptionTests(ITestOutputHelper output)
{
    private const int S = AttachmentEncryption.SegmentSize;
    private const int H = AttachmentEncryption.HeaderSize;
    private const int T = AttachmentEncryption.TagSize;

    // Four segments: three full ones and a final one of 100 bytes.
    private const int SampleLength = (3 * S) + 100;

    private static readonly int[] OddChunks = [1, 7, 4093, S + 1, 333, 2 * S + 5];

    private readonly AttachmentEncryption _encryption = Ring("k1", "k1");
    private readonly byte[] _dataKey = RandomNumberGenerator.GetBytes(32);
    private readonly Guid _fileId = Guid.CreateVersion7();

    internal static AttachmentEncryption Ring(string active, params string[] ids) => Ring(active, ids.ToDictionary(id => id, _ => NewMasterKey()));

    internal static AttachmentEncryption Ring(string active, Dictionary<string, string> keys) =>
        new(new AttachmentEncryptionOptions { ActiveKeyId = active, Keys = keys });

    private static string NewMasterKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Theory]
    [InlineData(0, false)]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(S - 1, false)]
    [InlineData(S - 1, true)]
    [InlineData(S, false)]
    [InlineData(S, true)]
    [InlineData(S + 1, false)]
    [InlineData(S + 1, true)]
    [InlineData(10 * 1024 * 1024, false)]
    [InlineData(10 * 1024 * 1024, true)]
    public async Task EncryptToThenDecryptFrom_InOddSizedChunks_RoundTrips(int length, bool useAsync)
    {
        var plain = RandomNumberGenerator.GetBytes(length);

        var stored = await EncryptAsync(plain, useAsync);
        var decrypted = await DecryptAsync(stored, useAsync);

        Assert.Equal(H + ((length / S + 1) * T) + length, stored.Length);
        Assert.Equal(plain, decrypted);
    }

    [Fact]
    public async Task EncryptTo_WrittenByteByByte_RoundTrips()
    {
        var plain = RandomNumberGenerator.GetBytes(S + 3);
        using var buffer = new MemoryStream();
        using (var encrypting = _encryption.EncryptTo(buffer, _dataKey, _fileId, leaveOpen: true))
        {
            foreach (var b in plain)
            {
                encrypting.WriteByte(b);
            }
        }

        Assert.Equal(plain, await DecryptAsync(buffer.ToArray(), useAsync: false));
    }

    [Fact]
    public async Task EncryptTo_StoredBytes_DoNotContainThePlaintext()
    {
        var plain = new byte[SampleLength];
        "This is the confidential meter reading letter. "u8.ToArray().CopyTo(plain, 0);
        for (var i = 48; i < plain.Length; i++)
        {
            plain[i] = (byte)('a' + (i % 26));
        }

        var stored = await EncryptAsync(plain, useAsync: true);

        Assert.Equal(-1, stored.AsSpan().IndexOf(plain.AsSpan(0, 32)));
        Assert.Equal(-1, stored.AsSpan().IndexOf(plain.AsSpan(2 * S, 32)));
        Assert.Equal(-1, stored.AsSpan().IndexOf("confidential"u8));
    }

    [Fact]
    public async Task EncryptTo_DisposedTwice_WritesTheFinalSegmentOnce()
    {
        using var buffer = new MemoryStream();
        var encrypting = _encryption.EncryptTo(buffer, _dataKey, _fileId, leaveOpen: true);
        await encrypting.WriteAsync(new byte[10]);
        await encrypting.DisposeAsync();
        await encrypting.DisposeAsync();
        encrypting.Dispose();

        Assert.Equal(H + 10 + T, buffer.Length);
    }

    [Fact]
    public async Task EncryptTo_WithoutLeaveOpen_DisposesTheDestination()
    {
        var buffer = new MemoryStream();
        await using (var encrypting = _encryption.EncryptTo(buffer, _dataKey, _fileId))
        {
            await encrypting.WriteAsync(new byte[10]);
        }

        Assert.False(buffer.CanWrite);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, S + T - 1)]
    [InlineData(1, 1000)]
    [InlineData(2, S)]
    [InlineData(3, 0)]
    [InlineData(3, 100 + T - 1)]
    public async Task DecryptFrom_WithAFlippedByteInASegment_Throws(int segment, int offsetInSegment)
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(SampleLength), useAsync: false);
        stored[SegmentOffset(segment) + offsetInSegment] ^= 0x01;

        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => DecryptAsync(stored, useAsync: true));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(10)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(31)]
    public async Task DecryptFrom_WithAFlippedHeaderByte_Throws(int offset)
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(SampleLength), useAsync: false);
        stored[offset] ^= 0x01;

        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => DecryptAsync(stored, useAsync: false));
    }

    [Fact]
    public async Task DecryptFrom_TruncatedAtASegmentBoundary_ThrowsIncomplete()
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(SampleLength), useAsync: false);

        var truncated = stored[..SegmentOffset(3)];

        var e = await Assert.ThrowsAsync<AttachmentIntegrityException>(() => DecryptAsync(truncated, useAsync: true));
        Assert.Equal("The stored file is incomplete.", e.Message);
    }

    [Fact]
    public async Task DecryptFrom_OfAFileOfExactlyOneSegmentWithoutItsEmptyFinalSegment_ThrowsIncomplete()
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(S), useAsync: false);

        var truncated = stored[..^T];

        var e = await Assert.ThrowsAsync<AttachmentIntegrityException>(() => DecryptAsync(truncated, useAsync: false));
        Assert.Equal("The stored file is incomplete.", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(H - 1)]
    [InlineData(H)]
    [InlineData(H + T - 1)]
    public async Task DecryptFrom_TruncatedInTheHeaderOrFirstTag_Throws(int length)
    {
        var stored = await EncryptAsync([], useAsync: false);

        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => DecryptAsync(stored[..length], useAsync: false));
    }

    [Fact]
    public async Task DecryptFrom_TruncatedInsideTheFinalSegment_Throws()
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(SampleLength), useAsync: false);

        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => DecryptAsync(stored[..^1], useAsync: false));
    }

    [Fact]
    public async Task DecryptFrom_WithAMiddleSegmentRemoved_Throws()
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(SampleLength), useAsync: false);

        var tampered = Concat(stored[..SegmentOffset(1)], stored[SegmentOffset(2)..]);

        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => DecryptAsync(tampered, useAsync: false));
    }

    [Fact]
    public async Task DecryptFrom_WithTwoSegmentsSwapped_Throws()
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(SampleLength), useAsync: false);

        var tampered = Concat(stored[..SegmentOffset(1)], stored[SegmentOffset(2)..SegmentOffset(3)], stored[SegmentOffset(1)..SegmentOffset(2)],
            stored[SegmentOffset(3)..]);

        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => DecryptAsync(tampered, useAsync: false));
    }

    [Fact]
    public async Task DecryptFrom_WithASegmentDuplicated_Throws()
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(SampleLength), useAsync: false);

        var tampered = Concat(stored[..SegmentOffset(2)], stored[SegmentOffset(1)..]);

        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => DecryptAsync(tampered, useAsync: false));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DecryptFrom_WithASegmentAppended_Throws(bool appendFullSegment)
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(SampleLength), useAsync: false);

        var appended = appendFullSegment ? stored[SegmentOffset(1)..SegmentOffset(2)] : stored[SegmentOffset(3)..];
        var tampered = Concat(stored, appended);

        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => DecryptAsync(tampered, useAsync: false));
    }

    [Fact]
    public async Task DecryptFrom_UnderAnotherFileId_Throws()
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(100), useAsync: false);

        await using var decrypting = _encryption.DecryptFrom(new MemoryStream(stored), _dataKey, Guid.CreateVersion7());

        var e = await Assert.ThrowsAsync<AttachmentIntegrityException>(() => decrypting.CopyToAsync(Stream.Null));
        Assert.Equal("The stored file belongs to another attachment.", e.Message);
    }

    [Fact]
    public async Task DecryptFrom_WithTheHeaderOfAnotherFileId_Throws()
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(100), useAsync: false);
        var otherId = Guid.CreateVersion7();
        otherId.TryWriteBytes(stored.AsSpan(16, 16), bigEndian: true, out _);

        await using var decrypting = _encryption.DecryptFrom(new MemoryStream(stored), _dataKey, otherId);

        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => decrypting.CopyToAsync(Stream.Null));
    }

    [Fact]
    public async Task DecryptFrom_WithAWrongDataKey_Throws()
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(100), useAsync: false);

        await using var decrypting = _encryption.DecryptFrom(new MemoryStream(stored), RandomNumberGenerator.GetBytes(32), _fileId);

        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => decrypting.CopyToAsync(Stream.Null));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DecryptFrom_WithATamperedSecondSegment_ReturnsOnlyTheFirstSegmentBeforeThrowing(bool useAsync)
    {
        var plain = RandomNumberGenerator.GetBytes(SampleLength);
        var stored = await EncryptAsync(plain, useAsync: false);
        stored[SegmentOffset(1) + 5] ^= 0x80;
        var received = new MemoryStream();
        var buffer = new byte[1000];

        await using var decrypting = _encryption.DecryptFrom(new MemoryStream(stored), _dataKey, _fileId);
        await Assert.ThrowsAsync<AttachmentIntegrityException>(async () =>
        {
            while (true)
            {
                var read = useAsync ? await decrypting.ReadAsync(buffer) : decrypting.Read(buffer, 0, buffer.Length);
                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
            }
        });

        Assert.Equal(plain[..S], received.ToArray());
        Assert.Throws<AttachmentIntegrityException>(() => decrypting.Read(buffer, 0, buffer.Length));
    }

    [Fact]
    public void NewFileKey_ThenUnwrap_ReturnsTheDataKey()
    {
        using var fileKey = _encryption.NewFileKey();

        Assert.Equal(32, fileKey.DataKey.Length);
        Assert.Equal("k1", fileKey.Wrapped.KeyId);
        Assert.DoesNotContain(Convert.ToHexString(fileKey.DataKey), Convert.ToHexString(fileKey.Wrapped.Bytes), StringComparison.Ordinal);
        Assert.Equal(fileKey.DataKey, _encryption.Unwrap(fileKey.Wrapped));
    }

    [Fact]
    public void NewFileKey_Twice_GivesDifferentKeysAndWrappings()
    {
        using var first = _encryption.NewFileKey();
        using var second = _encryption.NewFileKey();

        Assert.NotEqual(first.DataKey, second.DataKey);
        Assert.NotEqual(first.Wrapped.Bytes, second.Wrapped.Bytes);
    }

    [Fact]
    public void Unwrap_WithAnUnknownKeyId_ThrowsNamingTheKey()
    {
        using var fileKey = _encryption.NewFileKey();

        var e = Assert.Throws<AttachmentIntegrityException>(() => _encryption.Unwrap(fileKey.Wrapped with { KeyId = "retired" }));
        Assert.Contains("'retired'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unwrap_UnderAnotherKnownKeyId_Throws()
    {
        var keys = new Dictionary<string, string> { ["k1"] = NewMasterKey(), ["k2"] = NewMasterKey() };
        var encryption = Ring("k1", keys);
        using var fileKey = encryption.NewFileKey();

        Assert.Throws<AttachmentIntegrityException>(() => encryption.Unwrap(fileKey.Wrapped with { KeyId = "k2" }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(30)]
    [InlineData(60)]
    public void Unwrap_WithAFlippedByte_Throws(int offset)
    {
        using var fileKey = _encryption.NewFileKey();
        var bytes = (byte[])fileKey.Wrapped.Bytes.Clone();
        bytes[offset] ^= 0x01;

        Assert.Throws<AttachmentIntegrityException>(() => _encryption.Unwrap(fileKey.Wrapped with { Bytes = bytes }));
    }

    [Fact]
    public async Task Rewrap_AfterRotation_WrapsUnderTheNewKeyAndStillDecryptsTheOldFile()
    {
        var oldKey = NewMasterKey();
        var before = Ring("2026-01", new Dictionary<string, string> { ["2026-01"] = oldKey });
        using var fileKey = before.NewFileKey();
        var plain = RandomNumberGenerator.GetBytes(S + 10);
        using var stored = new MemoryStream();
        await using (var encrypting = before.EncryptTo(stored, fileKey.DataKey, _fileId, leaveOpen: true))
        {
            await encrypting.WriteAsync(plain);
        }

        var newKey = NewMasterKey();
        var rotated = Ring("2026-07", new Dictionary<string, string> { ["2026-01"] = oldKey, ["2026-07"] = newKey });
        var rewrapped = rotated.Rewrap(fileKey.Wrapped);
        var afterRetirement = Ring("2026-07", new Dictionary<string, string> { ["2026-07"] = newKey });

        Assert.Equal("2026-07", rewrapped.KeyId);
        Assert.Throws<AttachmentIntegrityException>(() => afterRetirement.Unwrap(fileKey.Wrapped));
        var dataKey = afterRetirement.Unwrap(rewrapped);
        await using var decrypting = afterRetirement.DecryptFrom(new MemoryStream(stored.ToArray()), dataKey, _fileId);
        using var result = new MemoryStream();
        await decrypting.CopyToAsync(result);
        Assert.Equal(plain, result.ToArray());
    }

    [Fact]
    public void Constructor_WithAnActiveKeyIdThatIsNotConfigured_ThrowsAClearMessage()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Ring("k2", "k1"));

        Assert.Equal("Attachments:Encryption: ActiveKeyId 'k2' is not one of the configured keys.", e.Message);
    }

    [Fact]
    public void Constructor_WithoutAnActiveKeyId_ThrowsAClearMessage()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Ring("", "k1"));

        Assert.Contains("ActiveKeyId is required", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    public void Constructor_WithAKeyThatIsNot32Bytes_ThrowsAClearMessage(int length)
    {
        var keys = new Dictionary<string, string> { ["k1"] = Convert.ToBase64String(new byte[length]) };

        var e = Assert.Throws<InvalidOperationException>(() => Ring("k1", keys));

        Assert.Contains($"key 'k1' is {length} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WithAKeyThatIsNotBase64_ThrowsAClearMessage()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Ring("k1", new Dictionary<string, string> { ["k1"] = "not base64!" }));

        Assert.Contains("not valid base64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WithNoKeysAndNoKeyFile_ThrowsAClearMessage()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new AttachmentEncryption(new AttachmentEncryptionOptions()));

        Assert.Contains("configure Keys and ActiveKeyId", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_WithAKeyFile_GeneratesItOnFirstUseWithOwnerOnlyPermissionsAndReusesIt()
    {
        var folder = Directory.CreateTempSubdirectory("sdes-keys-");
        try
        {
            var path = Path.Combine(folder.FullName, "data", "attachment-keys.json");
            var first = new AttachmentEncryption(new AttachmentEncryptionOptions { KeyFile = path });
            using var fileKey = first.NewFileKey();
            var content = await File.ReadAllTextAsync(path);

            var second = new AttachmentEncryption(new AttachmentEncryptionOptions { KeyFile = path });

            Assert.StartsWith("local-", first.ActiveKeyId, StringComparison.Ordinal);
            Assert.Equal(first.ActiveKeyId, second.ActiveKeyId);
            Assert.Equal(fileKey.DataKey, second.Unwrap(fileKey.Wrapped));
            Assert.Equal(content, await File.ReadAllTextAsync(path));
            Assert.Contains("\"activeKeyId\"", content, StringComparison.Ordinal);
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Constructor_WithConfiguredKeysAndAKeyFile_UsesTheKeysAndCreatesNoFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sdes-keys-{Guid.NewGuid():N}.json");
        var encryption = new AttachmentEncryption(new AttachmentEncryptionOptions
        {
            ActiveKeyId = "k1", Keys = new Dictionary<string, string> { ["k1"] = NewMasterKey() }, KeyFile = path,
        });

        Assert.Equal("k1", encryption.ActiveKeyId);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task EncryptToAndDecryptFrom_TenMegabytes_ReportsThroughput()
    {
        var plain = RandomNumberGenerator.GetBytes(10 * 1024 * 1024);
        var stored = new MemoryStream(plain.Length + (1024 * 1024));
        var chunk = 81920;
        double encryptSeconds = 0, decryptSeconds = 0;
        const int Runs = 5;
        for (var run = -1; run < Runs; run++)
        {
            stored.SetLength(0);
            var watch = Stopwatch.StartNew();
            await using (var encrypting = _encryption.EncryptTo(stored, _dataKey, _fileId, leaveOpen: true))
            {
                for (var offset = 0; offset < plain.Length; offset += chunk)
                {
                    await encrypting.WriteAsync(plain.AsMemory(offset, Math.Min(chunk, plain.Length - offset)));
                }
            }

            var encrypted = watch.Elapsed.TotalSeconds;
            stored.Position = 0;
            watch.Restart();
            await using (var decrypting = _encryption.DecryptFrom(stored, _dataKey, _fileId, leaveOpen: true))
            {
                await decrypting.CopyToAsync(Stream.Null, chunk);
            }

            if (run >= 0)
            {
                encryptSeconds += encrypted;
                decryptSeconds += watch.Elapsed.TotalSeconds;
            }
        }

        stored.SetLength(0);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        using (var encrypting = _encryption.EncryptTo(stored, _dataKey, _fileId, leaveOpen: true))
        {
            for (var offset = 0; offset < plain.Length; offset += chunk)
            {
                encrypting.Write(plain, offset, Math.Min(chunk, plain.Length - offset));
            }
        }

        stored.Position = 0;
        using (var decrypting = _encryption.DecryptFrom(stored, _dataKey, _fileId, leaveOpen: true))
        {
            decrypting.CopyTo(Stream.Null, chunk);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        output.WriteLine($"Allocated on this thread by a synchronous encrypt and decrypt of 10 MiB: {allocated} bytes");
        var megabytes = plain.Length / (1024.0 * 1024.0) * Runs;
        output.WriteLine($"10 MiB x {Runs}: encrypt {megabytes / encryptSeconds:F0} MiB/s, decrypt {megabytes / decryptSeconds:F0} MiB/s, " +
            $"encrypt+decrypt {megabytes / (encryptSeconds + decryptSeconds):F0} MiB/s");
        Assert.Equal(plain, await DecryptAsync(stored.ToArray(), useAsync: true));
    }

    private static int SegmentOffset(int index) => H + (index * (S + T));

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private async Task<byte[]> EncryptAsync(byte[] plain, bool useAsync)
    {
        using var buffer = new MemoryStream();
        var encrypting = _encryption.EncryptTo(buffer, _dataKey, _fileId, leaveOpen: true);
        var offset = 0;
        for (var i = 0; offset < plain.Length; i++)
        {
            var count = Math.Min(OddChunks[i % OddChunks.Length], plain.Length - offset);
            if (useAsync)
            {
                await encrypting.WriteAsync(plain.AsMemory(offset, count));
            }
            else
            {
                encrypting.Write(plain, offset, count);
            }

            offset += count;
        }

        if (useAsync)
        {
            await encrypting.DisposeAsync();
        }
        else
        {
            encrypting.Dispose();
        }

        return buffer.ToArray();
    }

    private async Task<byte[]> DecryptAsync(byte[] stored, bool useAsync)
    {
        using var result = new MemoryStream();
        var decrypting = _encryption.DecryptFrom(new MemoryStream(stored), _dataKey, _fileId);
        var buffer = new byte[5003];
        try
        {
            while (true)
            {
                var read = useAsync ? await decrypting.ReadAsync(buffer) : decrypting.Read(buffer, 0, buffer.Length);
                if (read == 0)
                {
                    break;
                }

                result.Write(buffer, 0, read);
            }
        }
        finally
        {
            await decrypting.DisposeAsync();
        }

        return result.ToArray();
    }
}
