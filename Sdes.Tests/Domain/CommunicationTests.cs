using System.Globalization;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;

namespace Sdes.Tests.Domain;

// Expected instants are worked by hand from the shipped bank holidays (2026-12-25 Friday, 2026-12-28 Monday for Boxing Day
// on a Saturday, 2027-01-01 Friday) and UK clocks: BST (UTC+1) until 2026-10-25 01:00Z, GMT (UTC+0) after it.
public sealed class CommunicationTests
{
    private const string ValidMpan = "1223015956917"; // weighted sum mod 11 mod 10 = 7, computed by hand
    private const string Subject = "Customer transferred in error";
    private const string Text = "Please return the customer to us.";

    private static readonly IReadOnlyList<BusinessProcess> Catalogue = ProcessCatalogue.Default();
    private static readonly OperationalCalendar Calendar = OperationalCalendar.Default;
    private static readonly DateTimeOffset Monday = At("2026-11-23T10:00:00Z"); // Monday 10:00 GMT, an ordinary working day

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private static BusinessProcess Process(string code) => Catalogue.Single(p => p.Code == code);

    private static MarketParticipantRole Role(string mpid, MarketRole role, string? distributor = null) =>
        MarketParticipantRole.Create(Mpid.Create(mpid), role, distributor is null ? null : DistributorId.Create(distributor));

    private static Dictionary<string, string?> Bespoke(string code) => code switch
    {
        "erroneous-transfers" => new() { ["transfer-date"] = "2026-03-31", ["customer-name"] = "J Smith" },
        "debt-assignment-protocol" => new() { ["debt-amount"] = "100" },
        "smart-ppm-cos-exceptions" => new() { ["exception-type"] = "Other" },
        "electricity-disconnections" => new() { ["mpan"] = ValidMpan },
        _ => [],
    };

    /// <summary>An organisation holding one role, with one AR assigned to level 1 of the process.</summary>
    private sealed record Party(Organisation Org, MarketParticipantRole Role, UserRef User)
    {
        public static Party Create(BusinessProcess process, string name, MarketParticipantRole role)
        {
            var org = Organisation.Create(name, [role], Monday);
            var user = new UserRef(UserId.New(), name + " AR", org.Id);
            org.Assign(user.Id, process, 1, Monday);
            return new Party(org, role, user);
        }

        public UserRef Colleague(BusinessProcess process, int level = 1)
        {
            var user = new UserRef(UserId.New(), Org.Name + " colleague", Org.Id);
            Org.Assign(user.Id, process, level, Monday);
            return user;
        }

        public UserRef Unassigned() => new(UserId.New(), Org.Name + " newcomer", Org.Id);
    }

    /// <summary>A sender and a recipient for one process, and the communication once sent.</summary>
    private sealed class Scene(BusinessProcess process, Party sender, Party recipient)
    {
        public BusinessProcess Process { get; } = process;
        public Party Sender { get; } = sender;
        public Party Recipient { get; } = recipient;
        public Communication C { get; private set; } = null!;

        public static Scene Between(BusinessProcess process) => new(process,
            Party.Create(process, "British Energy", Role("BRIT", MarketRole.ElectricitySupplier)),
            Party.Create(process, "Newco Energy", Role("NEWE", MarketRole.ElectricitySupplier)));

        public static Scene Between(string code) => Between(CommunicationTests.Process(code));

        public static Scene ToDno(string code)
        {
            var process = CommunicationTests.Process(code);
            return new(process,
                Party.Create(process, "British Energy", Role("BRIT", MarketRole.ElectricitySupplier)),
                Party.Create(process, "Western Networks", Role("WPDN", MarketRole.Dno, "12")));
        }

        public static Scene Sent(string code, DateTimeOffset at, string? tag = null)
        {
            var scene = Between(code);
            scene.Send(at, tag: tag);
            return scene;
        }

        public Communication Send(DateTimeOffset at, IReadOnlyDictionary<string, string?>? bespoke = null, string? subject = Subject,
            string? text = Text, string? tag = null, UserRef? author = null, MarketParticipantRole? fromRole = null,
            MarketParticipantRole? toRole = null, Reference? reference = null)
        {
            C = Communication.Send(reference ?? Reference.Create(ReferenceKind.Communication, 42), Process, author ?? Sender.User,
                Sender.Org, fromRole ?? Sender.Role, Recipient.Org, toRole ?? Recipient.Role, subject, text, tag,
                bespoke ?? Bespoke(Process.Code), at);
            return C;
        }

        public DomainException SendRefused(DateTimeOffset at, IReadOnlyDictionary<string, string?>? bespoke = null, string? subject = Subject,
            string? text = Text, string? tag = null, UserRef? author = null, MarketParticipantRole? fromRole = null,
            MarketParticipantRole? toRole = null, Reference? reference = null) =>
            Assert.Throws<DomainException>(() => Send(at, bespoke, subject, text, tag, author, fromRole, toRole, reference));

        public bool Reply(DateTimeOffset at, string? tag = null) => C.AddMessage(Recipient.User, Recipient.Org, Process, "Looking into it.", tag, at);

        public bool FollowUp(DateTimeOffset at, string? tag = null) => C.AddMessage(Sender.User, Sender.Org, Process, "Any news?", tag, at);

        public EscalationCheck Check(DateTimeOffset at) => C.CheckEscalation(Sender.Org.Id, Process, at, Calendar);

        public void Escalate(DateTimeOffset at) => C.Escalate(Sender.User, Sender.Org, Process, at, Calendar);

        public DomainException EscalateRefused(DateTimeOffset at) => Assert.Throws<DomainException>(() => Escalate(at));

        public void Archive(DateTimeOffset at) => C.Archive(Sender.User, Sender.Org, Process, at);

        public void Tag(Party party, DateTimeOffset at, params string[] tags) => C.ChangeTags(party.User, party.Org, Process, tags, at);

        public IEnumerable<CommunicationEvent> EventsOf(CommunicationEventKind kind) => C.Events.Where(e => e.Kind == kind);
    }

    // ---- Send ----------------------------------------------------------------------------------------------------------

    [Fact]
    public void Send_ByAnAssignedArOnAnAllowedRoute_OpensAnActiveCommunicationAtLevelOne()
    {
        var s = Scene.Between("erroneous-transfers");

        var c = s.Send(At("2026-11-23T11:00:00+01:00"), subject: "  " + Subject + "  ", tag: "ZX-priority");

        Assert.Equal("SDE0000042", c.Reference.Value);
        Assert.Equal(1, c.CurrentLevel);
        Assert.Equal(CommunicationStatus.Active, c.Status);
        Assert.Equal(Subject, c.Subject);
        Assert.Equal(Fuel.Dual, c.Fuel);
        Assert.Equal(s.Process.Id, c.ProcessId);
        Assert.Equal(Monday, c.CreatedAt);
        Assert.Equal(TimeSpan.Zero, c.CreatedAt.Offset);
        Assert.Equal(Monday, c.LevelStartedAt);
        Assert.Equal(Monday, c.LastMessageAt);
        Assert.Equal(2, c.Parties.Count);
        Assert.Equal((s.Sender.Org.Id, s.Recipient.Org.Id, "BRIT"), (c.Sender.OrganisationId, c.Sender.CounterpartyOrganisationId, c.Sender.Mpid));
        Assert.Equal((s.Recipient.Org.Id, s.Sender.Org.Id, "NEWE"), (c.Recipient.OrganisationId, c.Recipient.CounterpartyOrganisationId, c.Recipient.Mpid));
        Assert.True(c.Recipient.HasUnread);
        Assert.False(c.Sender.HasUnread);
        Assert.True(c.Sender.LastMessageSentByThisSide);
        Assert.False(c.Recipient.LastMessageSentByThisSide);
        Assert.All(c.Parties, p => Assert.Equal((CommunicationStatus.Active, 1, 42L), (p.Status, p.CurrentLevel, p.ReferenceNumber)));
        Assert.Equal(["ZX-priority"], c.Sender.TagList);
        Assert.Empty(c.Recipient.TagList);
        var message = Assert.Single(c.Messages);
        Assert.Equal((Text, PartySide.Sender, s.Sender.User.Id), (message.Text, message.Side, message.AuthorUserId));
        var sent = Assert.Single(c.Events);
        Assert.Equal((CommunicationEventKind.Sent, Monday, s.Sender.User.Id), (sent.Kind, sent.OccurredAt, sent.ActorUserId));
        Assert.Null(sent.PrivateToOrganisationId);
    }

    [Fact]
    public void Send_ByAnArOfTheSenderNotAssignedToTheProcess_IsRefused()
    {
        var s = Scene.Between("erroneous-transfers");
        var generalQueryOnly = s.Sender.Colleague(Process("general-query"));

        var unassigned = s.SendRefused(Monday, author: s.Sender.Unassigned());
        var otherProcess = s.SendRefused(Monday, author: generalQueryOnly);

        Assert.Equal("You are not assigned to Erroneous Transfers, so you cannot send it.", unassigned.Message);
        Assert.Equal(unassigned.Message, otherProcess.Message);
    }

    [Fact]
    public void Send_ByAUserOfAnotherOrganisation_IsRefused()
    {
        var s = Scene.Between("erroneous-transfers");

        var ex = s.SendRefused(Monday, author: s.Recipient.User);

        Assert.Equal("You can only send on behalf of your own organisation.", ex.Message);
    }

    [Fact]
    public void Send_ElectricityDisconnectionsFromAGasSupplierRole_IsRefused()
    {
        var process = Process("electricity-disconnections");
        var gas = Role("DUAG", MarketRole.GasSupplier);
        var dual = Organisation.Create("Dual Energy", [Role("DUAE", MarketRole.ElectricitySupplier), gas], Monday);
        var author = new UserRef(UserId.New(), "Dual AR", dual.Id);
        dual.Assign(author.Id, process, 1, Monday); // allowed through its electricity role
        var dno = Party.Create(process, "Western Networks", Role("WPDN", MarketRole.Dno, "12"));

        var ex = Assert.Throws<DomainException>(() => Communication.Send(Reference.Create(ReferenceKind.Communication, 1), process, author,
            dual, gas, dno.Org, dno.Role, Subject, Text, null, Bespoke(process.Code), Monday));

        Assert.Equal("Electricity Disconnections does not pass from Gas Supplier to DNO.", ex.Message);
    }

    [Fact]
    public void Send_SupplierToSupplierOnASupplierToDnoProcess_IsRefused()
    {
        var ex = Scene.Between("electricity-disconnections").SendRefused(Monday);

        Assert.StartsWith("Electricity Disconnections does not pass from ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Send_SupplierToDnoOnASupplierToDnoProcess_IsAllowed() =>
        Assert.Equal(MarketRole.Dno, Scene.ToDno("electricity-disconnections").Send(Monday).Recipient.Role);

    [Fact]
    public void Send_ToTheSendersOwnOrganisation_IsRefused()
    {
        var process = Process("erroneous-transfers");
        var (electricity, gas) = (Role("DUAE", MarketRole.ElectricitySupplier), Role("DUAG", MarketRole.GasSupplier));
        var dual = Party.Create(process, "Dual Energy", electricity);
        dual.Org.AddRole(gas);

        var ex = Assert.Throws<DomainException>(() => Communication.Send(Reference.Create(ReferenceKind.Communication, 1), process, dual.User,
            dual.Org, electricity, dual.Org, gas, Subject, Text, null, Bespoke(process.Code), Monday));

        Assert.Contains("you cannot send to your own", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Send_FromARoleTheSenderDoesNotHold_IsRefused()
    {
        var ex = Scene.Between("erroneous-transfers").SendRefused(Monday, fromRole: Role("XXXX", MarketRole.ElectricitySupplier));

        Assert.Equal("British Energy does not hold the role XXXX (Electricity Supplier).", ex.Message);
    }

    [Fact]
    public void Send_ToARoleTheRecipientDoesNotHold_IsRefused()
    {
        var ex = Scene.Between("erroneous-transfers").SendRefused(Monday, toRole: Role("BRIT", MarketRole.ElectricitySupplier));

        Assert.Equal("Newco Energy does not hold the role BRIT (Electricity Supplier).", ex.Message);
    }

    [Fact]
    public void Send_WithANonSdeReference_IsRefused() =>
        Assert.Equal("A communication needs an SDE reference.",
            Scene.Between("erroneous-transfers").SendRefused(Monday, reference: Reference.Create(ReferenceKind.CrossedMeterCase, 42)).Message);

    [Theory]
    [InlineData(null, "Enter a subject.")]
    [InlineData("   ", "Enter a subject.")]
    [InlineData("Tab\there", "A subject cannot contain control characters.")]
    [InlineData("Line\nbreak", "A subject cannot contain control characters.")]
    public void Send_WithABadSubject_IsRefused(string? subject, string expected) =>
        Assert.Equal(expected, Scene.Between("erroneous-transfers").SendRefused(Monday, subject: subject).Message);

    [Fact]
    public void Send_WithASubjectOverTwoHundredCharacters_IsRefusedButTwoHundredIsFine()
    {
        var s = Scene.Between("erroneous-transfers");

        var ex = s.SendRefused(Monday, subject: new string('s', 201));
        var c = s.Send(Monday, subject: new string('s', 200));

        Assert.Equal("A subject is at most 200 characters.", ex.Message);
        Assert.Equal(200, c.Subject.Length);
    }

    [Theory]
    [InlineData(null, "Enter a message.")]
    [InlineData(" \n ", "Enter a message.")]
    [InlineData("Bell \u0007 character", "A message cannot contain control characters.")]
    [InlineData("Nul \0 character", "A message cannot contain control characters.")]
    public void Send_WithABadMessage_IsRefused(string? text, string expected) =>
        Assert.Equal(expected, Scene.Between("erroneous-transfers").SendRefused(Monday, text: text).Message);

    [Fact]
    public void Send_WithAMessageOverTwentyThousandCharacters_IsRefusedButTwentyThousandIsFine()
    {
        var s = Scene.Between("erroneous-transfers");

        var ex = s.SendRefused(Monday, text: new string('m', 20_001));
        var c = s.Send(Monday, text: new string('m', 20_000));

        Assert.Equal("A message is at most 20,000 characters; this one has 20,001.", ex.Message);
        Assert.Equal(20_000, Assert.Single(c.Messages).Text.Length);
    }

    [Fact]
    public void Send_WithLineBreaksAndTabsInTheMessage_KeepsThem() =>
        Assert.Equal("Line one\r\n\tLine two", Assert.Single(Scene.Between("erroneous-transfers").Send(Monday, text: " Line one\r\n\tLine two ").Messages).Text);

    [Theory]
    [InlineData("electricity-disconnections", "mpan", "1223015956918", "The MPAN 1223015956918 fails its check digit; check it was typed correctly.")]
    [InlineData("electricity-disconnections", "mpan", "", "Enter the MPAN.")]
    [InlineData("electricity-disconnections", "colour", "red", "Electricity Disconnections has no data item 'colour'.")]
    [InlineData("debt-assignment-protocol", "debt-amount", "12.345", "Enter the Debt amount in pounds and pence, e.g. 125.50.")]
    [InlineData("erroneous-transfers", "transfer-date", "1999-12-31", "The Transfer date must be between 2000 and 2099.")]
    [InlineData("erroneous-transfers", "transfer-date", "2100-01-01", "The Transfer date must be between 2000 and 2099.")]
    [InlineData("smart-ppm-cos-exceptions", "exception-type", "Refund", "Choose one of: Credit balance, Debt balance, Emergency credit, Other.")]
    public void Send_WithABadBespokeValue_IsRefusedWithThatFieldsMessage(string code, string key, string value, string expected)
    {
        var s = code == "electricity-disconnections" ? Scene.ToDno(code) : Scene.Between(code);
        var bespoke = Bespoke(code);
        bespoke[key] = value;

        Assert.Equal(expected, s.SendRefused(Monday, bespoke).Message);
    }

    [Theory]
    [InlineData("electricity-disconnections", "mpan", "12 2301 5956 917", ValidMpan)]
    [InlineData("debt-assignment-protocol", "debt-amount", "£1,234.5", "1234.50")]
    [InlineData("erroneous-transfers", "transfer-date", "31/03/2026", "2026-03-31")]
    [InlineData("smart-ppm-cos-exceptions", "exception-type", "debt BALANCE", "Debt balance")]
    public void Send_WithABespokeValueInAnotherForm_StoresItsNormalForm(string code, string key, string typed, string stored)
    {
        var s = code == "electricity-disconnections" ? Scene.ToDno(code) : Scene.Between(code);
        var bespoke = Bespoke(code);
        bespoke[key] = typed;

        var c = s.Send(Monday, bespoke);

        Assert.Equal(stored, c.BespokeData[key]);
        Assert.Contains(stored + "\n", c.Recipient.SearchText, StringComparison.Ordinal);
    }

    // ---- Escalation (spec 10.1(e)) -------------------------------------------------------------------------------------

    [Fact]
    public void CheckEscalation_OnAGeneralQuery_IsNeverAllowed()
    {
        var s = Scene.Sent("general-query", Monday);

        var check = s.Check(At("2027-06-01T10:00:00Z"));

        Assert.False(check.Allowed);
        Assert.Equal("General Query communications cannot be escalated.", check.Explanation);
        Assert.Null(check.AllowedFrom);
        s.EscalateRefused(At("2027-06-01T10:00:00Z"));
        Assert.Equal(1, s.C.CurrentLevel);
    }

    [Theory]
    [InlineData("general-query")]
    [InlineData("utrn-contact")]
    [InlineData("retrospective-amendment-request")]
    public void ChangeLevels_ToMoreThanOneForAProcessTheSpecNeverEscalates_IsRefused(string code)
    {
        var process = ProcessCatalogue.Default().Single(p => p.Code == code); // a fresh copy: the shared catalogue stays as seeded

        var ex = Assert.Throws<DomainException>(() => process.ChangeLevels([ResponseWindow.WorkingDays(5), ResponseWindow.WorkingDays(5)]));

        Assert.Contains("cannot be escalated", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, process.TopLevel);
    }

    [Fact]
    public void CheckEscalation_OnASingleLevelProcess_IsNeverAllowed()
    {
        var process = BusinessProcess.Create("single-level-test", "Single Level Test", Fuel.Dual,
            [new ProcessRoute(PartyKind.Supplier, PartyKind.Supplier)], [ResponseWindow.WorkingDays(1)]);
        var s = Scene.Between(process);
        s.Send(Monday);

        Assert.False(s.Check(At("2027-06-01T10:00:00Z")).Allowed);
        s.EscalateRefused(At("2027-06-01T10:00:00Z"));
    }

    [Fact]
    public void CheckEscalation_ForTheRecipient_IsNeverAllowed()
    {
        var s = Scene.Sent("customer-requested-objections", Monday);
        var late = At("2027-06-01T10:00:00Z");

        var check = s.C.CheckEscalation(s.Recipient.Org.Id, s.Process, late, Calendar);
        var ex = Assert.Throws<DomainException>(() => s.C.Escalate(s.Recipient.User, s.Recipient.Org, s.Process, late, Calendar));

        Assert.False(check.Allowed);
        Assert.Equal("Only the sending organisation, which is awaiting a response, can escalate.", check.Explanation);
        Assert.Equal(check.Explanation, ex.Message);
        Assert.True(s.Check(late).Allowed); // the same moment is fine for the sender
    }

    [Fact]
    public void CheckEscalation_ForAnOrganisationThatIsNotAParty_IsNotAllowed()
    {
        var s = Scene.Sent("customer-requested-objections", Monday);

        Assert.False(s.C.CheckEscalation(OrganisationId.New(), s.Process, At("2027-06-01T10:00:00Z"), Calendar).Allowed);
    }

    [Fact]
    public void CheckEscalation_BeforeTheWindowLapses_IsRefusedAndSaysWhenItWillBeAllowed()
    {
        // Customer Requested Objections: 2 working days. Monday 10:00 GMT -> Wednesday 10:00 GMT.
        var s = Scene.Sent("customer-requested-objections", Monday);

        var check = s.Check(At("2026-11-25T09:59:59Z"));

        Assert.False(check.Allowed);
        Assert.Equal(At("2026-11-25T10:00:00Z"), check.AllowedFrom);
        Assert.Contains("2 working days", check.Explanation, StringComparison.Ordinal);
        s.EscalateRefused(At("2026-11-25T09:59:59Z"));
        Assert.Equal(1, s.C.CurrentLevel);
    }

    [Fact]
    public void CheckEscalation_ExactlyAtTheDeadline_IsAllowed()
    {
        var s = Scene.Sent("customer-requested-objections", Monday);

        var check = s.Check(At("2026-11-25T10:00:00Z"));
        s.Escalate(At("2026-11-25T10:00:00Z"));

        Assert.True(check.Allowed);
        Assert.Equal(At("2026-11-25T10:00:00Z"), check.AllowedFrom);
        Assert.Equal(2, s.C.CurrentLevel);
    }

    [Theory]
    [InlineData("2026-12-17T10:00:00Z", "2026-12-24T10:00:00Z")] // Thursday: Fri 18, Mon 21, Tue 22, Wed 23, Thu 24
    [InlineData("2026-12-21T10:00:00Z", "2026-12-30T10:00:00Z")] // Monday: Tue 22, Wed 23, Thu 24, (Fri 25, Mon 28 off) Tue 29, Wed 30
    [InlineData("2026-12-24T10:00:00Z", "2027-01-05T10:00:00Z")] // Thursday: Tue 29, Wed 30, Thu 31, (Fri 1 Jan off) Mon 4, Tue 5
    [InlineData("2026-10-19T09:00:00Z", "2026-10-26T10:00:00Z")] // Monday 10:00 BST -> Monday 10:00 GMT, after the clocks go back
    public void CheckEscalation_WithAWorkingDayWindow_LapsesAfterFiveWorkingDays(string sent, string deadline)
    {
        var s = Scene.Sent("erroneous-transfers", At(sent));

        var before = s.Check(At(deadline).AddSeconds(-1));
        var at = s.Check(At(deadline));

        Assert.False(before.Allowed);
        Assert.Equal(At(deadline), before.AllowedFrom);
        Assert.True(at.Allowed);
    }

    [Theory]
    [InlineData("2026-11-27T17:00:00Z", "2026-11-30T10:00:00Z")] // Friday 17:00 GMT: 1 h Friday, 2 h Monday -> Monday 10:00 GMT
    [InlineData("2026-06-05T16:00:00Z", "2026-06-08T09:00:00Z")] // Friday 17:00 BST -> Monday 10:00 BST
    [InlineData("2026-10-23T16:00:00Z", "2026-10-26T10:00:00Z")] // Friday 17:00 BST -> Monday 10:00 GMT (clocks went back Sunday)
    [InlineData("2026-12-24T16:00:00Z", "2026-12-29T09:00:00Z")] // Thursday 16:00 GMT: 2 h, then Tuesday 08:00-09:00 after Christmas
    public void CheckEscalation_WithAnOperationalHourWindow_LapsesAfterThreeOperationalHours(string sent, string deadline)
    {
        var s = Scene.Sent("smart-ppm-cos-exceptions", At(sent));

        var before = s.Check(At(deadline).AddSeconds(-1));
        var at = s.Check(At(deadline));

        Assert.False(before.Allowed);
        Assert.Equal(At(deadline), before.AllowedFrom);
        Assert.True(at.Allowed);
    }

    [Fact]
    public void Escalate_OverChristmas_RestartsTheClockForTheNextLevel()
    {
        // Level 1: Thursday 17 Dec 10:00 + 5 working days = Thursday 24 Dec 10:00. Level 2 starts there: Christmas Day,
        // the Monday substitute for Boxing Day and New Year's Day are skipped, so Tuesday 5 Jan 10:00. Counting only
        // 26 Dec (a Saturday) as the holiday would give Monday 4 Jan instead.
        var s = Scene.Sent("erroneous-transfers", At("2026-12-17T10:00:00Z"));
        s.Escalate(At("2026-12-24T10:00:00Z"));

        var check = s.Check(At("2027-01-04T10:00:00Z"));

        Assert.Equal(At("2026-12-24T10:00:00Z"), s.C.LevelStartedAt);
        Assert.False(check.Allowed);
        Assert.Equal(At("2027-01-05T10:00:00Z"), check.AllowedFrom);
        Assert.True(s.Check(At("2027-01-05T10:00:00Z")).Allowed);
    }

    [Fact]
    public void CheckEscalation_AfterTheRecipientResponds_IsAllowedAtOnce()
    {
        var s = Scene.Sent("customer-requested-objections", Monday);
        s.Reply(At("2026-11-23T12:00:00Z"));

        var check = s.Check(At("2026-11-23T12:00:01Z"));
        s.Escalate(At("2026-11-23T12:00:01Z"));

        Assert.True(check.Allowed);
        Assert.Null(check.AllowedFrom);
        Assert.Equal(2, s.C.CurrentLevel);
    }

    [Fact]
    public void CheckEscalation_AfterOnlyTheSendersOwnFollowUp_IsStillRefused()
    {
        var s = Scene.Sent("customer-requested-objections", Monday);
        s.FollowUp(At("2026-11-23T12:00:00Z"));

        var check = s.Check(At("2026-11-23T12:00:01Z"));

        Assert.False(check.Allowed);
        Assert.Equal(At("2026-11-25T10:00:00Z"), check.AllowedFrom);
    }

    [Fact]
    public void Escalate_Twice_IsRefusedUntilTheRecipientRespondsAtTheNewLevel()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        s.Reply(At("2026-11-24T09:00:00Z"));
        s.Escalate(At("2026-11-24T11:00:00Z"));

        // The level-1 reply does not count at level 2; its window runs from Tuesday 11:00: Wed, Thu, Fri, Mon, Tue 1 Dec.
        var again = s.Check(At("2026-11-24T11:00:01Z"));
        s.EscalateRefused(At("2026-11-25T10:00:00Z"));
        s.Reply(At("2026-11-25T10:00:00Z"));
        var afterReply = s.Check(At("2026-11-25T10:00:01Z"));
        s.Escalate(At("2026-11-25T10:00:01Z"));

        Assert.False(again.Allowed);
        Assert.Equal(At("2026-12-01T11:00:00Z"), again.AllowedFrom);
        Assert.True(afterReply.Allowed);
        Assert.Equal(3, s.C.CurrentLevel);
    }

    [Fact]
    public void Escalate_Twice_IsAllowedAgainOnceTheNewLevelsWindowLapses()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        s.Reply(At("2026-11-24T09:00:00Z"));
        s.Escalate(At("2026-11-24T11:00:00Z"));

        s.EscalateRefused(At("2026-12-01T10:59:59Z"));
        s.Escalate(At("2026-12-01T11:00:00Z"));

        Assert.Equal(3, s.C.CurrentLevel);
    }

    [Fact]
    public void CheckEscalation_AtTheTopLevel_IsNeverAllowed()
    {
        var s = Scene.Sent("customer-requested-objections", Monday); // two levels
        s.Escalate(At("2026-11-25T10:00:00Z"));
        s.Reply(At("2026-11-25T11:00:00Z"));

        var check = s.Check(At("2027-06-01T10:00:00Z"));

        Assert.False(check.Allowed);
        Assert.Equal("This communication is already at the highest escalation level (2).", check.Explanation);
        s.EscalateRefused(At("2027-06-01T10:00:00Z"));
        Assert.Equal(2, s.C.CurrentLevel);
    }

    [Fact]
    public void CheckEscalation_OnAnArchivedCommunication_IsNotAllowed()
    {
        var s = Scene.Sent("customer-requested-objections", Monday);
        s.Archive(At("2026-11-24T10:00:00Z"));

        var check = s.Check(At("2026-12-01T10:00:00Z"));

        Assert.False(check.Allowed);
        Assert.StartsWith("Archived communications cannot be escalated", check.Explanation, StringComparison.Ordinal);
        s.EscalateRefused(At("2026-12-01T10:00:00Z"));
    }

    [Fact]
    public void Escalate_MovesUpOneLevelAndTellsTheRecipient()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        s.C.RecordView(s.Recipient.User, At("2026-11-23T11:00:00Z"));
        var deadline = At("2026-11-30T10:00:00Z");

        s.Escalate(deadline);

        Assert.Equal(2, s.C.CurrentLevel);
        Assert.Equal(deadline, s.C.LevelStartedAt);
        Assert.True(s.C.Recipient.HasUnread);
        Assert.False(s.C.Sender.HasUnread);
        Assert.All(s.C.Parties, p => Assert.Equal(2, p.CurrentLevel));
        var escalated = Assert.Single(s.EventsOf(CommunicationEventKind.Escalated));
        Assert.Equal((deadline, s.Sender.User.Id, "to level 2"), (escalated.OccurredAt, escalated.ActorUserId, escalated.Detail));
    }

    [Fact]
    public void Escalate_ByASenderUserNotAssignedToTheProcess_IsRefused()
    {
        var s = Scene.Sent("customer-requested-objections", Monday);
        var outsider = s.Sender.Unassigned();

        Assert.Throws<DomainException>(() => s.C.Escalate(outsider, s.Sender.Org, s.Process, At("2026-12-01T10:00:00Z"), Calendar));
        Assert.Equal(1, s.C.CurrentLevel);
    }

    // ---- Owner ---------------------------------------------------------------------------------------------------------

    [Fact]
    public void AssignOwner_AnArOfTheOwnOrganisationAssignedToTheProcess_SetsThatSidesOwner()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        var colleague = s.Sender.Colleague(s.Process, level: 2);

        s.C.AssignOwner(s.Sender.User, s.Sender.Org, s.Process, colleague, At("2026-11-23T11:00:00Z"));

        Assert.Equal((colleague.Id, colleague.Name), (s.C.Sender.OwnerUserId, s.C.Sender.OwnerName));
        Assert.Null(s.C.Recipient.OwnerUserId);
        var changed = Assert.Single(s.EventsOf(CommunicationEventKind.OwnerChanged));
        Assert.Equal("British Energy owner: British Energy colleague", changed.Detail);
        Assert.Equal(s.Sender.User.Id, changed.ActorUserId);
    }

    [Fact]
    public void AssignOwner_AUserOfTheOtherOrganisation_IsRefused()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);

        var ex = Assert.Throws<DomainException>(() => s.C.AssignOwner(s.Sender.User, s.Sender.Org, s.Process, s.Recipient.User, Monday));

        Assert.Equal("Newco Energy AR is not an Authorised Representative of British Energy assigned to Erroneous Transfers.", ex.Message);
        Assert.Null(s.C.Sender.OwnerUserId);
    }

    [Fact]
    public void AssignOwner_AColleagueNotAssignedToTheProcess_IsRefused()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        var generalQueryOnly = s.Sender.Colleague(Process("general-query"));

        Assert.Throws<DomainException>(() => s.C.AssignOwner(s.Sender.User, s.Sender.Org, s.Process, generalQueryOnly, Monday));
        Assert.Throws<DomainException>(() => s.C.AssignOwner(s.Sender.User, s.Sender.Org, s.Process, s.Sender.Unassigned(), Monday));
        Assert.Null(s.C.Sender.OwnerUserId);
        Assert.Empty(s.EventsOf(CommunicationEventKind.OwnerChanged));
    }

    [Fact]
    public void AssignOwner_Null_ClearsTheOwner()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        s.C.AssignOwner(s.Recipient.User, s.Recipient.Org, s.Process, s.Recipient.User, At("2026-11-23T11:00:00Z"));

        s.C.AssignOwner(s.Recipient.User, s.Recipient.Org, s.Process, null, At("2026-11-23T12:00:00Z"));

        Assert.Null(s.C.Recipient.OwnerUserId);
        Assert.Null(s.C.Recipient.OwnerName);
        Assert.Equal(["Newco Energy owner: Newco Energy AR", "Newco Energy owner cleared"],
            s.EventsOf(CommunicationEventKind.OwnerChanged).Select(e => e.Detail));
    }

    [Fact]
    public void AssignOwner_TheSameOwnerAgain_RecordsNothingNew()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        s.C.AssignOwner(s.Sender.User, s.Sender.Org, s.Process, s.Sender.User, Monday);

        s.C.AssignOwner(s.Sender.User, s.Sender.Org, s.Process, s.Sender.User, Monday.AddMinutes(5));

        Assert.Single(s.EventsOf(CommunicationEventKind.OwnerChanged));
    }

    // ---- Tags ----------------------------------------------------------------------------------------------------------

    [Fact]
    public void Tags_ArePrivateToTheOrganisationThatSetThem()
    {
        var s = Scene.Sent("erroneous-transfers", Monday, tag: "ZX-priority");
        s.Tag(s.Recipient, At("2026-11-23T11:00:00Z"), "QW-billing");

        Assert.Equal(["ZX-priority"], s.C.Sender.TagList);
        Assert.Equal(["QW-billing"], s.C.Recipient.TagList);
        Assert.Contains("ZX-priority", s.C.Sender.SearchText, StringComparison.Ordinal);
        Assert.DoesNotContain("QW-billing", s.C.Sender.SearchText, StringComparison.Ordinal);
        Assert.Contains("QW-billing", s.C.Recipient.SearchText, StringComparison.Ordinal);
        Assert.DoesNotContain("ZX-priority", s.C.Recipient.SearchText, StringComparison.Ordinal);
        Assert.DoesNotContain("ZX-priority", s.C.Recipient.Tags, StringComparison.Ordinal);
        var changed = Assert.Single(s.EventsOf(CommunicationEventKind.TagsChanged));
        Assert.Equal(s.Recipient.Org.Id, changed.PrivateToOrganisationId);
        Assert.True(changed.IsVisibleTo(s.Recipient.Org.Id));
        Assert.False(changed.IsVisibleTo(s.Sender.Org.Id));
        Assert.True(Assert.Single(s.EventsOf(CommunicationEventKind.Sent)).IsVisibleTo(s.Recipient.Org.Id));
    }

    [Fact]
    public void ChangeTags_DropsCaseInsensitiveDuplicatesAndTidiesSpaces()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);

        s.Tag(s.Sender, Monday, "Gas", "gas", " GAS ", "Meter   read", "", "meter read");

        Assert.Equal(["Gas", "Meter read"], s.C.Sender.TagList);
    }

    [Fact]
    public void ChangeTags_ToTheSameList_RecordsNothing()
    {
        var s = Scene.Sent("erroneous-transfers", Monday, tag: "Gas");

        s.Tag(s.Sender, Monday, "Gas");

        Assert.Empty(s.EventsOf(CommunicationEventKind.TagsChanged));
    }

    [Fact]
    public void ChangeTags_MoreThanTen_IsRefusedButTenIsFine()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        var ten = Enumerable.Range(1, 10).Select(i => $"tag{i}").ToArray();

        var ex = Assert.Throws<DomainException>(() => s.Tag(s.Sender, Monday, [.. ten, "tag11"]));
        s.Tag(s.Sender, Monday, [.. ten, "TAG1"]); // the duplicate collapses, leaving ten

        Assert.Equal("A communication holds at most 10 search tags per organisation.", ex.Message);
        Assert.Equal(ten, s.C.Sender.TagList);
    }

    [Fact]
    public void ChangeTags_LongerThanFortyCharacters_IsRefusedButFortyIsFine()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);

        var ex = Assert.Throws<DomainException>(() => s.Tag(s.Sender, Monday, new string('t', 41)));
        s.Tag(s.Sender, Monday, new string('t', 40));

        Assert.StartsWith("A search tag is at most 40 characters", ex.Message, StringComparison.Ordinal);
        Assert.Equal(40, Assert.Single(s.C.Sender.TagList).Length);
    }

    [Fact]
    public void AddMessage_WithANewTag_AddsItPrivately()
    {
        var s = Scene.Sent("erroneous-transfers", Monday, tag: "Gas");

        s.Reply(At("2026-11-23T11:00:00Z"), tag: "Urgent");
        s.FollowUp(At("2026-11-23T12:00:00Z"), tag: "gas"); // already held: nothing changes

        Assert.Equal(["Urgent"], s.C.Recipient.TagList);
        Assert.Equal(["Gas"], s.C.Sender.TagList);
        var changed = Assert.Single(s.EventsOf(CommunicationEventKind.TagsChanged));
        Assert.Equal((s.Recipient.Org.Id, "added Urgent"), (changed.PrivateToOrganisationId, changed.Detail));
    }

    [Fact]
    public void AddMessage_WithATagOverTheLimit_IsRefusedBeforeAnythingChanges()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        s.Tag(s.Sender, Monday, [.. Enumerable.Range(1, 10).Select(i => $"tag{i}")]);
        s.Archive(At("2026-11-24T10:00:00Z"));
        var events = s.C.Events.Count;

        Assert.Throws<DomainException>(() => s.FollowUp(At("2026-11-25T10:00:00Z"), tag: "tag11"));

        Assert.Equal(CommunicationStatus.Archived, s.C.Status);
        Assert.NotNull(s.C.ArchivedAt);
        Assert.Single(s.C.Messages);
        Assert.Equal(Monday, s.C.LastMessageAt);
        Assert.Equal(events, s.C.Events.Count);
        Assert.Equal(10, s.C.Sender.TagList.Count);
    }

    // ---- Archive and retention (spec 13) -------------------------------------------------------------------------------

    [Fact]
    public void Archive_ArchivesForBothOrganisations()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        var at = At("2026-11-24T10:00:00Z");

        s.C.Archive(s.Recipient.User, s.Recipient.Org, s.Process, at);

        Assert.Equal((CommunicationStatus.Archived, at), (s.C.Status, s.C.ArchivedAt));
        Assert.All(s.C.Parties, p => Assert.Equal((CommunicationStatus.Archived, at), (p.Status, p.ArchivedAt)));
        Assert.Single(s.EventsOf(CommunicationEventKind.Archived));
    }

    [Fact]
    public void Archive_Twice_IsRefused()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        s.Archive(At("2026-11-24T10:00:00Z"));

        var ex = Assert.Throws<DomainException>(() => s.C.Archive(s.Recipient.User, s.Recipient.Org, s.Process, At("2026-11-25T10:00:00Z")));

        Assert.Equal("This communication is already archived.", ex.Message);
        Assert.Equal(At("2026-11-24T10:00:00Z"), s.C.ArchivedAt);
    }

    [Fact]
    public void AddMessage_OnAnArchivedCommunication_MakesItActiveAgain()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        s.Archive(At("2026-11-24T10:00:00Z"));

        var reactivated = s.Reply(At("2026-11-25T10:00:00Z"));
        var again = s.Reply(At("2026-11-25T11:00:00Z"));

        Assert.True(reactivated);
        Assert.False(again);
        Assert.Equal(CommunicationStatus.Active, s.C.Status);
        Assert.Null(s.C.ArchivedAt);
        Assert.All(s.C.Parties, p => Assert.Equal((CommunicationStatus.Active, (DateTimeOffset?)null), (p.Status, p.ArchivedAt)));
        var reactivation = Assert.Single(s.EventsOf(CommunicationEventKind.Reactivated));
        Assert.Equal((At("2026-11-25T10:00:00Z"), s.Recipient.User.Id), (reactivation.OccurredAt, reactivation.ActorUserId));
    }

    [Fact]
    public void ArchiveIfIdle_ArchivesThirtyDaysAfterTheLatestMessage()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        s.Reply(At("2026-11-26T15:30:00Z")); // 26 Nov + 30 days = 26 Dec

        var early = s.C.ArchiveIfIdle(At("2026-12-26T15:29:59Z"));
        var statusWhenEarly = s.C.Status;
        var due = s.C.ArchiveIfIdle(At("2026-12-26T15:30:00Z"));

        Assert.False(early);
        Assert.Equal(CommunicationStatus.Active, statusWhenEarly);
        Assert.True(due);
        Assert.Equal(CommunicationStatus.Archived, s.C.Status);
        Assert.Equal(At("2026-12-26T15:30:00Z"), s.C.ArchivedAt);
        Assert.All(s.C.Parties, p => Assert.Equal(CommunicationStatus.Archived, p.Status));
        Assert.Null(Assert.Single(s.EventsOf(CommunicationEventKind.Archived)).ActorUserId);
    }

    [Fact]
    public void ArchiveIfIdle_RunLate_DatesTheArchiveFromWhenItFellDue()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        s.Reply(At("2026-11-26T15:30:00Z"));

        var first = s.C.ArchiveIfIdle(At("2027-01-10T02:00:00Z"));
        var second = s.C.ArchiveIfIdle(At("2027-01-11T02:00:00Z"));

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(At("2026-12-26T15:30:00Z"), s.C.ArchivedAt);
        Assert.Equal(At("2027-01-10T02:00:00Z"), Assert.Single(s.EventsOf(CommunicationEventKind.Archived)).OccurredAt);
    }

    [Fact]
    public void ArchiveIfIdle_AfterAManualArchive_DoesNothing()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        s.Archive(At("2026-11-24T10:00:00Z"));

        Assert.False(s.C.ArchiveIfIdle(At("2027-01-10T02:00:00Z")));
        Assert.Equal(At("2026-11-24T10:00:00Z"), s.C.ArchivedAt);
    }

    [Fact]
    public void DeleteContentIfDue_ThirtyDaysAfterArchiving_ErasesTheContentButKeepsTheReference()
    {
        var s = Scene.Sent("erroneous-transfers", Monday, tag: "ZX-priority");
        s.Tag(s.Recipient, Monday, "QW-billing");
        s.C.AssignOwner(s.Sender.User, s.Sender.Org, s.Process, s.Sender.User, Monday);
        s.Reply(At("2026-11-26T15:30:00Z"));
        s.C.ArchiveIfIdle(At("2026-12-27T02:00:00Z")); // archived as of 26 Dec 15:30; content due to go 25 Jan 15:30

        var early = s.C.DeleteContentIfDue(At("2027-01-25T15:29:59Z"));
        var due = s.C.DeleteContentIfDue(At("2027-01-25T15:30:00Z"));

        Assert.False(early);
        Assert.True(due);
        Assert.Equal(CommunicationStatus.Deleted, s.C.Status);
        Assert.Equal(At("2027-01-25T15:30:00Z"), s.C.DeletedAt);
        Assert.Equal(string.Empty, s.C.Subject);
        Assert.Empty(s.C.Messages);
        Assert.Empty(s.C.Events);
        Assert.Empty(s.C.BespokeData);
        Assert.Equal("SDE0000042", s.C.Reference.Value);
        Assert.All(s.C.Parties, p =>
        {
            Assert.Equal(CommunicationStatus.Deleted, p.Status);
            Assert.Equal(string.Empty, p.Tags);
            Assert.Equal(string.Empty, p.SearchText);
            Assert.Null(p.OwnerUserId);
            Assert.Null(p.OwnerName);
            Assert.Equal(42L, p.ReferenceNumber);
        });
    }

    [Fact]
    public void DeleteContentIfDue_Twice_DoesNothingTheSecondTime()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        s.Archive(At("2026-11-24T10:00:00Z"));
        s.C.DeleteContentIfDue(At("2026-12-24T10:00:00Z"));
        var version = s.C.Version;

        Assert.False(s.C.DeleteContentIfDue(At("2027-03-01T10:00:00Z")));
        Assert.Equal(At("2026-12-24T10:00:00Z"), s.C.DeletedAt);
        Assert.Equal(version, s.C.Version);
    }

    [Fact]
    public void DeleteContentIfDue_OnAnActiveCommunication_DoesNothing()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);

        Assert.False(s.C.DeleteContentIfDue(At("2027-06-01T10:00:00Z")));
        Assert.Equal(Subject, s.C.Subject);
    }

    [Fact]
    public void DeletedCommunication_RefusesEveryFurtherAction()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        s.Archive(At("2026-11-24T10:00:00Z"));
        s.C.DeleteContentIfDue(At("2026-12-24T10:00:00Z"));
        var later = At("2026-12-28T10:00:00Z");

        Assert.Throws<DomainException>(() => s.Reply(later));
        Assert.Throws<DomainException>(() => s.C.RecordView(s.Recipient.User, later));
        Assert.Throws<DomainException>(() => s.Archive(later));
        Assert.Throws<DomainException>(() => s.Tag(s.Sender, later, "Again"));
        Assert.Throws<DomainException>(() => s.C.AssignOwner(s.Sender.User, s.Sender.Org, s.Process, s.Sender.User, later));
        Assert.Throws<DomainException>(() => s.C.RecordTranscriptDownload(s.Sender.User, later));
        Assert.Equal("This communication has been deleted.", s.Check(later).Explanation);
        Assert.Equal(CommunicationStatus.Deleted, s.C.Status);
        Assert.Empty(s.C.Messages);
    }

    // ---- RecordView ----------------------------------------------------------------------------------------------------

    [Fact]
    public void RecordView_ClearsUnreadForTheViewersOrganisationOnly()
    {
        var s = Scene.Sent("customer-requested-objections", Monday);
        s.Reply(At("2026-11-23T11:00:00Z")); // the sender has a reply to read
        s.Escalate(At("2026-11-23T11:30:00Z")); // and the recipient an escalation
        var bothUnread = (s.C.Sender.HasUnread, s.C.Recipient.HasUnread);

        s.C.RecordView(s.Sender.User, At("2026-11-23T12:00:00Z"));
        var afterSenderViews = (s.C.Sender.HasUnread, s.C.Recipient.HasUnread);
        s.C.RecordView(s.Recipient.User, At("2026-11-23T12:05:00Z"));

        Assert.Equal((true, true), bothUnread);
        Assert.Equal((false, true), afterSenderViews);
        Assert.False(s.C.Recipient.HasUnread);
        Assert.Equal(At("2026-11-23T12:05:00Z"), s.C.Recipient.LastViewedAt);
        Assert.Equal(At("2026-11-23T12:00:00Z"), s.C.Sender.LastViewedAt);
    }

    [Fact]
    public void RecordView_RecordsAViewedEventAtMostOncePerUserPerHour()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        var colleague = s.Recipient.Colleague(s.Process);

        var first = s.C.RecordView(s.Recipient.User, At("2026-11-23T10:05:00Z"));
        var soon = s.C.RecordView(s.Recipient.User, At("2026-11-23T11:04:59Z"));
        var otherUser = s.C.RecordView(colleague, At("2026-11-23T10:10:00Z"));
        var anHourLater = s.C.RecordView(s.Recipient.User, At("2026-11-23T11:05:00Z"));

        Assert.Equal(new[] { true, false, true, true }, new[] { first, soon, otherUser, anHourLater });
        Assert.Equal(
            [(s.Recipient.User.Id, At("2026-11-23T10:05:00Z")), (colleague.Id, At("2026-11-23T10:10:00Z")), (s.Recipient.User.Id, At("2026-11-23T11:05:00Z"))],
            s.EventsOf(CommunicationEventKind.Viewed).Select(e => (e.ActorUserId!.Value, e.OccurredAt)));
    }

    [Fact]
    public void RecordView_ByAnOrganisationThatIsNotAParty_IsRefused()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        var stranger = new UserRef(UserId.New(), "Stranger", OrganisationId.New());

        var ex = Assert.Throws<DomainException>(() => s.C.RecordView(stranger, Monday));

        Assert.Equal("Your organisation is not a party to this communication.", ex.Message);
    }

    // ---- AddMessage ----------------------------------------------------------------------------------------------------

    [Fact]
    public void AddMessage_ByTheRecipient_LeavesTheSenderUnreadAndMovesTheLatestMessage()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        var at = At("2026-11-24T09:15:00Z");

        var reactivated = s.Reply(at);

        Assert.False(reactivated);
        Assert.Equal(2, s.C.Messages.Count);
        Assert.Equal((at, PartySide.Recipient), (s.C.LastMessageAt, s.C.LastMessageSide));
        Assert.True(s.C.Sender.HasUnread);
        Assert.False(s.C.Recipient.HasUnread);
        Assert.False(s.C.Sender.LastMessageSentByThisSide);
        Assert.True(s.C.Recipient.LastMessageSentByThisSide);
        Assert.All(s.C.Parties, p => Assert.Equal(at, p.LastMessageAt));
        Assert.Equal((PartySide.Recipient, s.Recipient.Org.Id), (s.C.Messages[^1].Side, s.C.Messages[^1].OrganisationId));
        Assert.Single(s.EventsOf(CommunicationEventKind.MessageAdded));
    }

    [Fact]
    public void AddMessage_BackAndForth_FlipsTheCopiesEachTime()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        s.Reply(At("2026-11-24T09:15:00Z"));

        s.FollowUp(At("2026-11-24T10:00:00Z"));

        Assert.True(s.C.Sender.LastMessageSentByThisSide);
        Assert.False(s.C.Recipient.LastMessageSentByThisSide);
        Assert.False(s.C.Sender.HasUnread);
        Assert.True(s.C.Recipient.HasUnread);
        Assert.Equal(At("2026-11-24T10:00:00Z"), s.C.Recipient.LastMessageAt);
    }

    [Fact]
    public void AddMessage_ByAnAuthorOfAThirdOrganisation_IsRefused()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);
        var third = Party.Create(s.Process, "Third Power", Role("THRD", MarketRole.ElectricitySupplier));

        var ex = Assert.Throws<DomainException>(() => s.C.AddMessage(third.User, third.Org, s.Process, "Me too", null, Monday.AddHours(1)));

        Assert.Equal("Your organisation is not a party to this communication.", ex.Message);
        Assert.Single(s.C.Messages);
    }

    [Fact]
    public void AddMessage_ClaimingTheOtherPartysOrganisation_IsRefused()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);

        var ex = Assert.Throws<DomainException>(() => s.C.AddMessage(s.Recipient.User, s.Sender.Org, s.Process, "Hi", null, Monday.AddHours(1)));

        Assert.Equal("You can only act for your own organisation.", ex.Message);
    }

    [Fact]
    public void AddMessage_UnderAnotherProcess_IsRefused()
    {
        var s = Scene.Sent("erroneous-transfers", Monday);

        var ex = Assert.Throws<DomainException>(() => s.C.AddMessage(s.Recipient.User, s.Recipient.Org, Process("general-query"), "Hi", null, Monday.AddHours(1)));

        Assert.Equal("That is not this communication's business process.", ex.Message);
    }
}
