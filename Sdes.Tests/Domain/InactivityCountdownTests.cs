using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;

namespace Sdes.Tests.Domain;

public sealed class InactivityCountdownTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 8, 1, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public void DayOf_CountsWhole24HourPeriods_AcrossTheUkClockChange()
    {
        // 25 October 2026 is 25 hours long in the UK; the countdown does not care.
        Assert.Equal(89, InactivityCountdown.DayOf(Anchor, Anchor.AddDays(90).AddTicks(-1)));
        Assert.Equal(90, InactivityCountdown.DayOf(Anchor, Anchor.AddDays(90)));
        Assert.Equal(new DateTimeOffset(2026, 10, 30, 10, 30, 0, TimeSpan.Zero), InactivityCountdown.DeletionDueAt(Anchor));
        Assert.Equal(0, InactivityCountdown.DayOf(Anchor, Anchor.AddDays(-3)));
    }

    [Theory]
    [InlineData(82, new int[0])]
    [InlineData(83, new[] { 83 })]
    [InlineData(86, new[] { 83, 84, 85, 86 })]
    [InlineData(89, new[] { 83, 84, 85, 86, 87, 88, 89 })]
    [InlineData(90, new int[0])]
    public void ReminderDaysDue_IsEveryReminderDayBegunAndBeforeDeletion(int day, int[] expected) =>
        Assert.Equal(expected, InactivityCountdown.ReminderDaysDue(Anchor, Anchor.AddDays(day).AddHours(3)));

    [Fact]
    public void IsDeletionDue_FromTheStartOfDay90()
    {
        Assert.False(InactivityCountdown.IsDeletionDue(Anchor, Anchor.AddDays(90).AddSeconds(-1)));
        Assert.True(InactivityCountdown.IsDeletionDue(Anchor, Anchor.AddDays(90)));
        Assert.True(InactivityCountdown.IsDeletionDue(Anchor, Anchor.AddDays(400)));
    }

    [Fact]
    public void AnchorOf_IsTheLastSignIn_OrCreationIfNeverSignedIn()
    {
        Assert.Equal(Anchor, InactivityCountdown.AnchorOf(null, Anchor));
        Assert.Equal(Anchor.AddDays(5), InactivityCountdown.AnchorOf(Anchor.AddDays(5), Anchor));
    }

    [Fact]
    public void HandOverInactiveUser_WhereTheyAreTheLastUser_AssignsTheMau_AndReleasesThem()
    {
        var (org, process, mau, ar, other) = Organisation();
        org.Assign(ar, process, 1, Anchor);
        org.Assign(ar, process, 2, Anchor);
        org.Assign(other, process, 2, Anchor);

        var handed = org.HandOverInactiveUser(ar, Anchor);

        Assert.Equal([(process.Id, 1)], handed);
        Assert.Equal([mau], org.UsersAt(process.Id, 1));
        Assert.Equal([other], org.UsersAt(process.Id, 2));
        Assert.DoesNotContain(org.Assignments, a => a.UserId == ar);
    }

    [Fact]
    public void HandOverInactiveUser_TheMau_IsNotPossible()
    {
        var (org, _, mau, _, _) = Organisation();

        var ex = Assert.Throws<DomainException>(() => org.HandOverInactiveUser(mau, Anchor));
        Assert.Equal("The Master Admin User is never deleted for inactivity (spec 2.4).", ex.Message);
    }

    private static (Organisation, BusinessProcess, UserId Mau, UserId Ar, UserId Other) Organisation()
    {
        var org = Sdes.Domain.Organisations.Organisation.Create("Alpha Supply",
            [MarketParticipantRole.Create(Mpid.Create("AAAA"), MarketRole.ElectricitySupplier)], Anchor);
        var mau = new UserId(Guid.CreateVersion7());
        org.NameMasterAdmin(mau);
        var process = ProcessCatalogue.Default().Single(p => p.Code == "contract-manager-queries");
        return (org, process, mau, new UserId(Guid.CreateVersion7()), new UserId(Guid.CreateVersion7()));
    }
}
