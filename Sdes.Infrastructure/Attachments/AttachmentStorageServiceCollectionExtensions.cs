using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Sdes.Infrastructure.Attachments;

public enum AttachmentStoreKind
{
    /// <summary>A folder on local disk (embedded default).</summary>
    Local,

    /// <summary>Azure Blob Storage (production).</summary>
    AzureBlob,
}

/// <summary>Bound from <c>Attachments:Store</c>.</summary>
public sealed class AttachmentStoreOptions
{
    public const string Section = "Attachments:Store";

    public AttachmentStoreKind Kind { get; set; } = AttachmentStoreKind.Local;

    /// <summary>Local only; relative paths are under the content root.</summary>
    public string LocalPath { get; set; } = "data/attachments";

    /// <summary>AzureBlob only.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>AzureBlob only; created (private) on first use.</summary>
    public string Container { get; set; } = "sdes-attachments";
}

public static partial class AttachmentStorageServiceCollectionExtensions
{
    /// <summary>Registers <see cref="AttachmentEncryption"/> and the <see cref="IAttachmentStore"/> named by
    /// <c>Attachments:Store:Kind</c>. A configured key ring is validated here, so a bad key fails start-up; a key file
    /// (<c>Attachments:Encryption:KeyFile</c>, relative to <paramref name="contentRootPath"/>) is created when
    /// <see cref="AttachmentEncryption"/> is first resolved.</summary>
    public static IServiceCollection AddAttachmentStorage(this IServiceCollection services, IConfiguration configuration, string contentRootPath)
    {
        var encryption = configuration.GetSection(AttachmentEncryptionOptions.Section).Get<AttachmentEncryptionOptions>() ?? new AttachmentEncryptionOptions();
        if (!string.IsNullOrWhiteSpace(encryption.KeyFile))
        {
            encryption.KeyFile = Path.Combine(contentRootPath, encryption.KeyFile);
        }

        if (encryption.Keys.Count > 0 || string.IsNullOrWhiteSpace(encryption.KeyFile))
        {
            _ = AttachmentKeyRing.Load(encryption);
        }

        services.AddSingleton(encryption);
        services.AddSingleton(sp => new AttachmentEncryption(sp.GetRequiredService<AttachmentEncryptionOptions>()));

        var store = configuration.GetSection(AttachmentStoreOptions.Section).Get<AttachmentStoreOptions>() ?? new AttachmentStoreOptions();
        services.AddSingleton(store);
        switch (store.Kind)
        {
            case AttachmentStoreKind.Local:
                var root = Path.Combine(contentRootPath, store.LocalPath);
                services.AddSingleton<IAttachmentStore>(sp => new LocalFolderAttachmentStore(root, sp.GetService<TimeProvider>() ?? TimeProvider.System));
                break;
            case AttachmentStoreKind.AzureBlob:
                if (string.IsNullOrWhiteSpace(store.ConnectionString))
                {
                    throw new InvalidOperationException($"{AttachmentStoreOptions.Section}:ConnectionString is required when {AttachmentStoreOptions.Section}:Kind is AzureBlob.");
                }

                if (!ContainerName().IsMatch(store.Container) || store.Container.Contains("--", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"{AttachmentStoreOptions.Section}:Container '{store.Container}' is not a valid container name (3 to 63 lower-case letters, digits and single hyphens).");
                }

                var connectionString = store.ConnectionString;
                services.AddSingleton<IAttachmentStore>(_ => AzureBlobAttachmentStore.Create(connectionString, store.Container));
                break;
            default:
                throw new InvalidOperationException($"Unknown {AttachmentStoreOptions.Section}:Kind '{store.Kind}'. Use Local or AzureBlob.");
        }

        return services;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex ContainerName();
}
