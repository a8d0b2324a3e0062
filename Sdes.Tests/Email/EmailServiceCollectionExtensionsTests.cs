using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Sdes.Infrastructure.Email;

namespace Sdes.Tests.Email;

public sealed class EmailServiceCollectionExtensionsTests
{
    private static void Add(string environment, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        new ServiceCollection().AddSdesEmail(configuration,
            new HostingEnvironment { EnvironmentName = environment, ContentRootPath = Path.GetTempPath() });
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void FaultInjection_OutsideDevelopmentAndTesting_IsRefused(string environment)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Add(environment, ("Email:FaultInjection:PauseAfterSend", "true")));
        Assert.Contains("Email:FaultInjection", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Testing")]
    public void FaultInjection_InDevelopmentOrTesting_IsAllowed(string environment) =>
        Add(environment, ("Email:FaultInjection:PauseBeforeSend", "true"), ("Email:AttemptLease", "00:00:02"));

    [Fact]
    public void Defaults_HaveNoFaultInjection_AndALeaseLongerThanTheProviderTimeout()
    {
        var options = new EmailOptions();
        Assert.False(options.FaultInjection.Enabled);
        Assert.True(options.AttemptLease > TimeSpan.FromSeconds(100));
        Add("Production");
    }

    [Fact]
    public void ALeaseShorterThanTheProviderTimeout_IsRefusedInProduction() =>
        Assert.Throws<InvalidOperationException>(() => Add("Production", ("Email:AttemptLease", "00:00:30")));
}
