using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sdes.Infrastructure.Attachments;

namespace Sdes.Tests.Attachments;

public sealed class AttachmentStorageServiceCollectionExtensionsTests : IDisposable
{
    private readonly DirectoryInfo _contentRoot = Directory.CreateTempSubdirectory("sdes-content-");

    private ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddAttachmentStorage(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), _contentRoot.FullName)
            .BuildServiceProvider();

    private static Dictionary<string, string?> WithKey(Dictionary<string, string?> settings)
    {
        settings["Attachments:Encryption:ActiveKeyId"] = "k1";
        settings["Attachments:Encryption:Keys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return settings;
    }

    [Fact]
    public void AddAttachmentStorage_WithTheEmbeddedDefaults_UsesAKeyFileAndALocalFolderUnderTheContentRoot()
    {
        using var services = Build(new Dictionary<string, string?> { ["Attachments:Encryption:KeyFile"] = "data/attachment-keys.json" });

        var keyFile = Path.Combine(_contentRoot.FullName, "data", "attachment-keys.json");
        Assert.False(File.Exists(keyFile));
        var encryption = services.GetRequiredService<AttachmentEncryption>();
        var store = Assert.IsType<LocalFolderAttachmentStore>(services.GetRequiredService<IAttachmentStore>());

        Assert.True(File.Exists(keyFile));
        Assert.StartsWith("local-", encryption.ActiveKeyId, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(_contentRoot.FullName, "data", "attachments"), store.Root);
    }

    [Fact]
    public void AddAttachmentStorage_WithConfiguredKeysAndAzureBlob_ResolvesTheBlobStoreForTheContainer()
    {
        using var services = Build(WithKey(new Dictionary<string, string?>
        {
            ["Attachments:Store:Kind"] = "AzureBlob",
            ["Attachments:Store:ConnectionString"] = "UseDevelopmentStorage=true",
        }));

        var store = Assert.IsType<AzureBlobAttachmentStore>(services.GetRequiredService<IAttachmentStore>());

        Assert.Equal("sdes-attachments", store.Container.Name);
        Assert.Equal("k1", services.GetRequiredService<AttachmentEncryption>().ActiveKeyId);
    }

    [Fact]
    public void AddAttachmentStorage_WithAzureBlobAndNoConnectionString_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Build(WithKey(new Dictionary<string, string?> { ["Attachments:Store:Kind"] = "AzureBlob" })));

        Assert.Equal("Attachments:Store:ConnectionString is required when Attachments:Store:Kind is AzureBlob.", e.Message);
    }

    [Fact]
    public void AddAttachmentStorage_WithAnInvalidContainerName_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Build(WithKey(new Dictionary<string, string?>
        {
            ["Attachments:Store:Kind"] = "AzureBlob",
            ["Attachments:Store:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Attachments:Store:Container"] = "Attachments_Bad",
        })));

        Assert.Contains("'Attachments_Bad' is not a valid container name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddAttachmentStorage_WithAnActiveKeyThatIsNotConfigured_ThrowsAtRegistration()
    {
        var settings = WithKey([]);
        settings["Attachments:Encryption:ActiveKeyId"] = "k2";

        var e = Assert.Throws<InvalidOperationException>(() => Build(settings));

        Assert.Contains("ActiveKeyId 'k2' is not one of the configured keys", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddAttachmentStorage_WithNoKeysAndNoKeyFile_ThrowsAtRegistration()
    {
        Assert.Throws<InvalidOperationException>(() => Build([]));
    }

    public void Dispose() => _contentRoot.Delete(recursive: true);
}
