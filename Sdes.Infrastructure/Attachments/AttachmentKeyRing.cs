using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sdes.Infrastructure.Attachments;

/// <summary>Bound from <c>Attachments:Encryption</c>. Configured <see cref="Keys"/> win; with none, the ring lives in
/// <see cref="KeyFile"/> (the embedded default), generated on first use.</summary>
public sealed class AttachmentEncryptionOptions
{
    public const string Section = "Attachments:Encryption";

    /// <summary>The master key new data keys are wrapped with.</summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>Key id to base64 of a 32-byte master key. Keep retired keys until every row is rewrapped.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>Used only when <see cref="Keys"/> is empty. Absolute, or relative to the content root in the DI extension.</summary>
    public string? KeyFile { get; set; }
}

/// <summary>Master keys by id, validated once at start.</summary>
internal sealed partial class AttachmentKeyRing
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };
    private readonly Dictionary<string, byte[]> _keys;

    private AttachmentKeyRing(string activeKeyId, Dictionary<string, byte[]> keys)
    {
        ActiveKeyId = activeKeyId;
        ActiveKey = keys[activeKeyId];
        _keys = keys;
    }

    public string ActiveKeyId { get; }
    public byte[] ActiveKey { get; }

    public bool TryGet(string keyId, [MaybeNullWhen(false)] out byte[] key) => _keys.TryGetValue(keyId, out key);

    public static AttachmentKeyRing Load(AttachmentEncryptionOptions options)
    {
        if (options.Keys.Count > 0)
        {
            return FromConfiguration(options.ActiveKeyId, options.Keys, AttachmentEncryptionOptions.Section);
        }

        if (string.IsNullOrWhiteSpace(options.KeyFile))
        {
            throw new InvalidOperationException(
                $"{AttachmentEncryptionOptions.Section}: configure Keys and ActiveKeyId (production: from the secret store), or set KeyFile for the embedded default.");
        }

        return LoadOrCreateFile(options.KeyFile);
    }

    private static AttachmentKeyRing FromConfiguration(string? activeKeyId, IReadOnlyDictionary<string, string> encoded, string source)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, value) in encoded)
        {
            if (!KeyIdPattern().IsMatch(id))
            {
                throw new InvalidOperationException($"{source}: key id '{id}' must be 1 to 64 letters, digits, '.', '_' or '-'.");
            }

            byte[] key;
            try
            {
                key = Convert.FromBase64String(value ?? string.Empty);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"{source}: key '{id}' is not valid base64.");
            }

            if (key.Length != AttachmentEncryption.KeySize)
            {
                throw new InvalidOperationException(
                    $"{source}: key '{id}' is {key.Length} bytes; a master key is {AttachmentEncryption.KeySize} random bytes, base64-encoded.");
            }

            keys.Add(id, key);
        }

        if (string.IsNullOrWhiteSpace(activeKeyId))
        {
            throw new InvalidOperationException($"{source}: ActiveKeyId is required and must name one of the keys.");
        }

        if (!keys.ContainsKey(activeKeyId))
        {
            throw new InvalidOperationException($"{source}: ActiveKeyId '{activeKeyId}' is not one of the configured keys.");
        }

        return new AttachmentKeyRing(activeKeyId, keys);
    }

    /// <summary>The file is written in full to a temporary name and then moved into place without overwriting, so two
    /// processes starting at once agree on one key and nobody reads a half-written file.</summary>
    private static AttachmentKeyRing LoadOrCreateFile(string path)
    {
        if (!File.Exists(path))
        {
            var keyId = "local-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            var content = new KeyFileContent(keyId, new Dictionary<string, string> { [keyId] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(AttachmentEncryption.KeySize)) });
            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(directory);
            var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using (var stream = new FileStream(temp, fileOptions))
                {
                    JsonSerializer.Serialize(stream, content, Json);
                    stream.Flush(flushToDisk: true);
                }

                try
                {
                    File.Move(temp, path, overwrite: false);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another process created it first: use theirs.
                }
            }
            finally
            {
                File.Delete(temp);
            }
        }

        KeyFileContent? loaded;
        try
        {
            using var stream = File.OpenRead(path);
            loaded = JsonSerializer.Deserialize<KeyFileContent>(stream, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"The attachment key file {path} is not valid JSON: {e.Message}", e);
        }

        if (loaded?.Keys is null || loaded.Keys.Count == 0)
        {
            throw new InvalidOperationException($"The attachment key file {path} holds no keys.");
        }

        return FromConfiguration(loaded.ActiveKeyId, loaded.Keys, $"The attachment key file {path}");
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyIdPattern();

    private sealed record KeyFileContent(string? ActiveKeyId, Dictionary<string, string> Keys);
}
