using Azure.Storage.Blobs;
using Sdes.Infrastructure.Attachments;

namespace Sdes.Tests.Attachments;

/// <summary>Against Azurite: <c>SDES_TEST_AZURITE</c> holds its connection string (scripts/test.sh starts it; see
/// docs/RECIPES.md section 5). Without it these tests fail rather than skip. One container per test.</summary>
public sealed class AzureBlobAttachmentStoreTests : AttachmentStoreContractTests, IAsyncLifetime
{
    public const string Variable = "SDES_TEST_AZURITE";
    private readonly BlobContainerClient _container;
    private readonly AzureBlobAttachmentStore _store;

    public AzureBlobAttachmentStoreTests()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set. Start Azurite (docs/RECIPES.md section 5, with --skipApiVersionCheck) and export its connection string, or run scripts/test.sh.");
        }

        var service = new BlobServiceClient(connectionString, AzureBlobAttachmentStore.ClientOptions());
        _container = service.GetBlobContainerClient($"att-{Guid.NewGuid():N}");
        _store = new AzureBlobAttachmentStore(_container);
    }

    protected override IAttachmentStore Store => _store;

    protected override async Task FlipStoredByteAsync(string name, long offset)
    {
        var blob = _container.GetBlobClient(name);
        var bytes = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        bytes[offset] ^= 0x01;
        await blob.UploadAsync(BinaryData.FromBytes(bytes), overwrite: true);
    }

    [Fact]
    public async Task OpenWriteAsync_OnFirstUse_CreatesThePrivateContainer()
    {
        Assert.False((await _container.ExistsAsync()).Value);

        await WriteAsync(NewName(), [1]);

        Assert.True((await _container.ExistsAsync()).Value);
        Assert.Equal(Azure.Storage.Blobs.Models.PublicAccessType.None, (await _container.GetPropertiesAsync()).Value.PublicAccess);
    }

    [Fact]
    public async Task OperationsBeforeTheContainerExists_BehaveAsForAMissingObject()
    {
        Assert.False(await Store.ExistsAsync(NewName(), CancellationToken.None));
        await Store.DeleteAsync(NewName(), CancellationToken.None);
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.OpenReadAsync(NewName(), CancellationToken.None));
        Assert.Empty(await ListAsync());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _container.DeleteIfExistsAsync();
}
