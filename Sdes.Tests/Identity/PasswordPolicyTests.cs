using System.Buffers.Binary;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sdes.App.Features.Account;
using Sdes.Infrastructure.Identity;

namespace Sdes.Tests.Identity;

public sealed class PasswordPolicyTests
{
    private static readonly string[] Context = SdesPasswordValidator.ContextWords(new SdesUser
    {
        Email = "hazel.quinn@harbourlights.example", DisplayName = "Hazel Quinn",
    }).ToArray();

    [Theory]
    [InlineData("Pebble-Orchard-Kite-77")]
    [InlineData("correct horse battery staple")]
    [InlineData("a sentence with ünïcödé and spaces 🙂")]
    public void Check_LongUnrelatedPassphrases_AreAccepted(string password) => Assert.Null(SdesPasswordValidator.Check(password, Context));

    [Fact]
    public void Check_AtTheMaximum_IsAccepted_OneMore_IsNot()
    {
        var words = string.Concat(Enumerable.Range(0, 20).Select(i => $"Kx{i}q-"));
        var max = (words + new string('z', 128))[..128];

        Assert.Null(SdesPasswordValidator.Check(max, Context));
        Assert.Contains("at most 128", SdesPasswordValidator.Check(max + "y", Context), StringComparison.Ordinal);
        Assert.True(SdesPasswordValidator.MaximumLength >= 64); // ASVS 2.1.2: at least 64 characters allowed
    }

    [Theory]
    [InlineData("Short-1")]
    [InlineData("elevenchars")]
    public void Check_UnderTwelveCharacters_IsRefused(string password) =>
        Assert.Contains("at least 12", SdesPasswordValidator.Check(password, Context), StringComparison.Ordinal);

    [Theory]
    [InlineData("password12345")]
    [InlineData("Password123456")]
    [InlineData("qwertyuiopasdf")]
    [InlineData("123456789012")]
    [InlineData("HazelQuinn2026")]
    [InlineData("harbourlights1")]
    [InlineData("SecureDataExchange")]
    public void Check_CommonOrContextPasswords_AreRefused(string password) =>
        Assert.Contains("too easy to guess", SdesPasswordValidator.Check(password, Context), StringComparison.Ordinal);

    [Fact]
    public void Check_HasNoCompositionRules() =>
        Assert.Null(SdesPasswordValidator.Check("lantern orchard pebble kite", Context)); // no digits, capitals or symbols required

    [Fact]
    public void StoredHashes_UsePbkdf2With210000Iterations()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSdesIdentity(new ConfigurationBuilder().Build());
        var hasher = services.BuildServiceProvider().GetRequiredService<IPasswordHasher<SdesUser>>();

        var hash = Convert.FromBase64String(hasher.HashPassword(new SdesUser(), "Pebble-Orchard-Kite-77"));

        Assert.Equal(0x01, hash[0]); // Identity V3 format
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1))); // HMAC-SHA512
        Assert.Equal(210_000u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5)));
    }

    [Theory]
    [InlineData("00:01:01")]
    [InlineData("00:00:00")]
    public void SecurityOptions_RevalidationOutsideSixtySeconds_IsRefusedAtStartUp(string interval)
    {
        var options = new SecurityOptions { RevalidationInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture) };
        Assert.Throws<InvalidOperationException>(options.Validate);
    }

    [Fact]
    public void SecurityOptions_Defaults_MeetTheSpecsBounds()
    {
        var options = new SecurityOptions();
        options.Validate();
        Assert.True(options.RevalidationInterval <= TimeSpan.FromSeconds(60));
        Assert.Equal(TimeSpan.FromHours(72), options.SetupSecretLifetime);
        Assert.Equal(10, options.LockoutAfterFailures);
        Assert.Throws<InvalidOperationException>(new SecurityOptions { PasswordHashIterations = 100_000 }.Validate);
    }

    [Theory]
    [InlineData("/admin/users", "/admin/users")]
    [InlineData("/admin/users?org=1", "/admin/users?org=1")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example", "/")]
    [InlineData("/redirect?to=https://evil.example", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData(null, "/")]
    public void LocalUrl_FollowsOnlySameSitePaths(string? returnUrl, string expected) => Assert.Equal(expected, LocalUrl.OrHome(returnUrl));

    [Fact]
    public void SetupSecrets_AreRandom_AndAcceptedHoweverTyped()
    {
        var secrets = Enumerable.Range(0, 200).Select(_ => AccountSecretGenerator.Generate()).ToHashSet();

        Assert.Equal(200, secrets.Count);
        Assert.All(secrets, s => Assert.Matches("^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$", s));
        var one = secrets.First();
        Assert.Equal(AccountSecretGenerator.Normalise(one), AccountSecretGenerator.Normalise(" " + one.ToLowerInvariant().Replace('-', ' ') + " "));
    }
}
