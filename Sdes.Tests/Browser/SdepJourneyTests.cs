using System.Globalization;
using Microsoft.Playwright;
using Sdes.Domain.Organisations;
using Sdes.Tests.Audit;
using Sdes.Tests.Integration;
using static Microsoft.Playwright.Assertions;

namespace Sdes.Tests.Browser;

/// <summary>Issue 3's journey with two browsers side by side: a supplier AR sends (a bad MPAN first), the DNO AR sees it
/// arrive live, takes ownership and replies, the supplier sees the reply live and only then may escalate, downloads the
/// transcript, and archives for both.</summary>
public sealed class SdepJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SupplierAndDno_SendReplyEscalateArchive_LiveOnBothSides()
    {
        var (_, supplierMau) = await fixture.CreateOrganisationWithMauAsync("Volt Supply", "VOLT", "vera@volt.example");
        var (_, dnoMau) = await fixture.CreateOrganisationWithMauAsync("Grid North", "GRDN", "dan@gridnorth.example", MarketRole.Dno, "15");
        await fixture.AssignAsync(supplierMau, supplierMau, "electricity-disconnections", 1);
        await fixture.AssignAsync(dnoMau, dnoMau, "electricity-disconnections", 1, 2);

        var dno = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(dno, "dan@gridnorth.example", AppFixture.StrongPassword);
        await BrowserFixture.GoAsync(dno, "/communications");
        await Expect(dno.GetByText("No active communications")).ToBeVisibleAsync();

        // Supplier: the form checks the MPAN's check digit field by field and sends nothing until it is right.
        var supplier = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(supplier, "vera@volt.example", AppFixture.StrongPassword);
        await BrowserFixture.GoAsync(supplier, "/communications/new");
        await ChooseAsync(supplier, "Business process", "Electricity Disconnections");
        await Expect(supplier.GetByText("Grid North: GRDN (DNO, 15)")).ToBeVisibleAsync();
        await supplier.GetByLabel("Subject").FillAsync("Disconnection request: vacant property");
        await supplier.GetByLabel("MPAN").FillAsync(WrongCheckDigit(ValidMpan("120000000000")));
        await supplier.GetByLabel("Message").FillAsync("Please disconnect; the property has been empty since March.");
        await supplier.GetByLabel("Search tag (optional)").FillAsync("VAC-77");
        await supplier.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(supplier.GetByRole(AriaRole.Alert).Filter(new() { HasText = "fails its check digit" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(supplier, "10-send-bad-mpan");
        Assert.Equal(0, await fixture.App.WithDbAsync(db => Task.FromResult(db.Communications.Count())));

        await supplier.GetByLabel("MPAN").FillAsync(ValidMpan("120000000000"));
        await supplier.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(supplier.GetByText("Sent. The reference is SDE0000001")).ToBeVisibleAsync();

        // DNO: the new communication arrives without a reload, unread, with a toast naming only the reference and process.
        await Expect(dno.GetByText("New communication SDE0000001 (Electricity Disconnections)")).ToBeVisibleAsync();
        var row = dno.GetByRole(AriaRole.Row).Filter(new() { HasText = "SDE0000001" });
        await Expect(row).ToContainTextAsync("Disconnection request: vacant property");
        await Expect(row).ToContainTextAsync("(unread)");
        await BrowserFixture.ScreenshotAsync(dno, "11-dno-queue-live");

        // Supplier opens it: escalation is not yet allowed, and the page says when it will be.
        await supplier.GetByRole(AriaRole.Link, new() { Name = "Open SDE0000001" }).ClickAsync();
        await BrowserFixture.WaitInteractiveAsync(supplier, "detail");
        await Expect(supplier.GetByRole(AriaRole.Button, new() { Name = "Escalate to level 2" })).ToBeDisabledAsync();
        await Expect(supplier.GetByText("Escalation available from")).ToBeVisibleAsync();

        // DNO opens, takes ownership, replies.
        await row.GetByRole(AriaRole.Link, new() { Name = "SDE0000001" }).ClickAsync();
        await BrowserFixture.WaitInteractiveAsync(dno, "dno detail");
        await ChooseAsync(dno, "Our owner", "Mau GRDN");
        await Expect(dno.GetByText("Owner updated.")).ToBeVisibleAsync();
        await dno.GetByLabel("Reply").FillAsync("Disconnection booked for Friday morning.");
        await dno.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(dno.GetByText("Reply sent.")).ToBeVisibleAsync();

        // Supplier sees the reply and the DNO's owner live; now escalation is offered.
        await Expect(supplier.GetByText("Disconnection booked for Friday morning.")).ToBeVisibleAsync();
        await Expect(supplier.GetByText("Their owner: Mau GRDN")).ToBeVisibleAsync();
        await Expect(supplier.GetByRole(AriaRole.Button, new() { Name = "Escalate to level 2" })).ToBeEnabledAsync();
        await BrowserFixture.ScreenshotAsync(supplier, "12-supplier-detail");
        await supplier.GetByRole(AriaRole.Button, new() { Name = "Escalate to level 2" }).ClickAsync();
        await Expect(supplier.GetByText("Escalated to level 2.")).ToBeVisibleAsync();
        await Expect(supplier.GetByText("already at the highest escalation level (2)")).ToBeVisibleAsync();

        // The transcript downloads and parses; the tag stays private to the supplier.
        var download = await supplier.RunAndWaitForDownloadAsync(() =>
            supplier.GetByRole(AriaRole.Link, new() { Name = "Download transcript (CSV)" }).ClickAsync());
        Assert.Equal("SDE0000001-transcript.csv", download.SuggestedFilename);
        var rows = Csv.Parse(await File.ReadAllTextAsync((await download.PathAsync())!));
        Assert.Equal(["Reference", "Time (UK)", "Entry", "Organisation", "By", "Text"], rows[0]);
        var messages = rows.Skip(1).Where(r => r[2] == "Message").ToList();
        Assert.Equal(["Please disconnect; the property has been empty since March.", "Disconnection booked for Friday morning."],
            messages.Select(r => r[5]));
        Assert.Contains(rows, r => r[2] == "Escalated" && r[5] == "to level 2");
        await Expect(dno.GetByText("VAC-77")).ToHaveCountAsync(0);

        // Archive warns that it archives for both, then does.
        await supplier.GetByRole(AriaRole.Button, new() { Name = "Archive" }).ClickAsync();
        await Expect(supplier.GetByText("also archives this communication for the other organisation")).ToBeVisibleAsync();
        await supplier.GetByRole(AriaRole.Button, new() { Name = "Archive for both" }).ClickAsync();
        await Expect(supplier.GetByText("Archived for both organisations.")).ToBeVisibleAsync();
        await BrowserFixture.GoAsync(dno, "/communications?folder=archived");
        await Expect(dno.GetByRole(AriaRole.Row).Filter(new() { HasText = "SDE0000001" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(dno, "13-dno-archived");
    }

    private static async Task ChooseAsync(IPage page, string label, string option)
    {
        await page.GetByLabel(label).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option }).ClickAsync();
    }

    private static string WrongCheckDigit(string mpan) => mpan[..12] + (char)('0' + ((mpan[12] - '0' + 1) % 10));

    private static string ValidMpan(string first12) =>
        first12 + Sdes.Domain.Metering.Mpan.CheckDigit(first12).ToString(CultureInfo.InvariantCulture);
}
