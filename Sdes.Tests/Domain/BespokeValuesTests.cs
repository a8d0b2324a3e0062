using Sdes.Domain.Communications;
using Sdes.Domain.Processes;

namespace Sdes.Tests.Domain;

public sealed class BespokeValuesTests
{
    private const string ValidMpan = "1223015956917"; // weighted sum mod 11 mod 10 = 7, computed by hand

    /// <summary>One field of every type; only the MPAN is required.</summary>
    private static readonly BusinessProcess AllTypes = BusinessProcess.Create("all-types-test", "All Types Test", Fuel.Dual,
        [new ProcessRoute(PartyKind.Any, PartyKind.Any)], [null], fields:
        [
            BespokeFieldDefinition.Create("mpan", "MPAN", BespokeFieldType.Mpan, required: true),
            BespokeFieldDefinition.Create("mprn", "MPRN", BespokeFieldType.Mprn, required: false),
            BespokeFieldDefinition.Create("read-date", "Read date", BespokeFieldType.Date, required: false),
            BespokeFieldDefinition.Create("amount", "Amount", BespokeFieldType.Money, required: false),
            BespokeFieldDefinition.Create("note", "Note", BespokeFieldType.Text, required: false),
            BespokeFieldDefinition.Create("kind", "Kind", BespokeFieldType.Choice, required: false, ["Credit", "Debit"]),
        ]);

    private static (IReadOnlyDictionary<string, string> Values, IReadOnlyDictionary<string, string> Errors) Validate(string key, string? value) =>
        BespokeValues.Validate(AllTypes, new Dictionary<string, string?> { ["mpan"] = ValidMpan, [key] = value });

    private static string Stored(string key, string typed)
    {
        var (values, errors) = Validate(key, typed);
        Assert.Empty(errors);
        return values[key];
    }

    private static string Error(string key, string typed)
    {
        var (values, errors) = Validate(key, typed);
        Assert.False(values.ContainsKey(key));
        return Assert.Single(errors, e => e.Key == key).Value;
    }

    [Fact]
    public void Validate_WithEveryFieldInATypedForm_StoresEachInItsNormalForm()
    {
        var (values, errors) = BespokeValues.Validate(AllTypes, new Dictionary<string, string?>
        {
            ["mpan"] = "S 01 801 100 / 12 2301 5956 917",
            ["mprn"] = "12 3456 7890",
            ["read-date"] = "1/3/2026",
            ["amount"] = "£100,000,000",
            ["note"] = "  hello  ",
            ["kind"] = "credit",
        });

        Assert.Empty(errors);
        Assert.Equal(new Dictionary<string, string>
        {
            ["mpan"] = ValidMpan,
            ["mprn"] = "1234567890",
            ["read-date"] = "2026-03-01",
            ["amount"] = "100000000.00",
            ["note"] = "hello",
            ["kind"] = "Credit",
        }, values);
    }

    [Fact]
    public void Validate_WithSeveralBadValues_ReportsEachAgainstItsField()
    {
        var (values, errors) = BespokeValues.Validate(AllTypes, new Dictionary<string, string?>
        {
            ["mpan"] = "1223015956918",
            ["mprn"] = "12345",
            ["kind"] = "Refund",
            ["colour"] = "red",
        });

        Assert.Empty(values);
        Assert.Equal(new Dictionary<string, string>
        {
            ["colour"] = "All Types Test has no data item 'colour'.",
            ["mpan"] = "The MPAN 1223015956918 fails its check digit; check it was typed correctly.",
            ["mprn"] = "An MPRN is 6 to 10 digits; that has 5.",
            ["kind"] = "Choose one of: Credit, Debit.",
        }, errors);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_WithoutARequiredValue_AsksForIt(string? mpan)
    {
        var (values, errors) = BespokeValues.Validate(AllTypes, new Dictionary<string, string?> { ["mpan"] = mpan });

        Assert.Empty(values);
        Assert.Equal("Enter the MPAN.", Assert.Single(errors).Value);
    }

    [Fact]
    public void Validate_WithOptionalFieldsBlank_LeavesThemOut()
    {
        var (values, errors) = BespokeValues.Validate(AllTypes, new Dictionary<string, string?> { ["mpan"] = ValidMpan, ["note"] = " ", ["kind"] = null });

        Assert.Empty(errors);
        Assert.Equal(["mpan"], values.Keys);
    }

    [Fact]
    public void Validate_WithALongUnknownKey_ShortensItInTheMessage()
    {
        var key = new string('k', 45);

        Assert.Equal($"All Types Test has no data item '{new string('k', 40)}…'.", Error(key, "x"));
    }

    [Theory]
    [InlineData("12 2301 5956 917")]
    [InlineData("12-2301-5956-917")]
    [InlineData("S018011001223015956917")]
    [InlineData("01801100/1223015956917")]
    public void Validate_Mpan_StoresTheCore(string typed) => Assert.Equal(ValidMpan, Stored("mpan", typed));

    [Theory]
    [InlineData("12345", "An MPAN core is 13 digits (or 21 with the top line); that has 5.")]
    [InlineData("12 2301 5956 91A", "An MPAN contains only digits (spaces and hyphens between groups are fine).")]
    public void Validate_MpanOfTheWrongShape_SaysWhy(string typed, string expected) => Assert.Equal(expected, Error("mpan", typed));

    [Theory]
    [InlineData("£1,234.5", "1234.50")]
    [InlineData("0", "0.00")]
    [InlineData("£ 7", "7.00")]
    [InlineData("12.340", "12.34")] // a trailing zero is not a third decimal of value
    [InlineData("100000000", "100000000.00")]
    public void Validate_Money_StoresPoundsAndPence(string typed, string stored) => Assert.Equal(stored, Stored("amount", typed));

    [Theory]
    [InlineData("12.345", "Enter the Amount in pounds and pence, e.g. 125.50.")]
    [InlineData("ten pounds", "Enter the Amount in pounds and pence, e.g. 125.50.")]
    [InlineData("1e3", "Enter the Amount in pounds and pence, e.g. 125.50.")]
    [InlineData("-0.01", "The Amount must be between £0.00 and £100,000,000.")]
    [InlineData("100000000.01", "The Amount must be between £0.00 and £100,000,000.")]
    public void Validate_MoneyThatIsNotPoundsAndPenceInRange_IsRefused(string typed, string expected) =>
        Assert.Equal(expected, Error("amount", typed));

    [Theory]
    [InlineData("2026-03-31", "2026-03-31")]
    [InlineData("31/03/2026", "2026-03-31")]
    [InlineData("1/3/2026", "2026-03-01")] // day first, as written in the UK
    [InlineData("2000-01-01", "2000-01-01")]
    [InlineData("2099-12-31", "2099-12-31")]
    public void Validate_Date_StoresIsoDate(string typed, string stored) => Assert.Equal(stored, Stored("read-date", typed));

    [Theory]
    [InlineData("1999-12-31", "The Read date must be between 2000 and 2099.")]
    [InlineData("2100-01-01", "The Read date must be between 2000 and 2099.")]
    [InlineData("2026-02-30", "Enter the Read date as a date, e.g. 2026-03-31.")]
    [InlineData("03/31/2026", "Enter the Read date as a date, e.g. 2026-03-31.")] // month first is not a date here
    [InlineData("31-03-2026", "Enter the Read date as a date, e.g. 2026-03-31.")]
    public void Validate_DateThatIsNotADateInRange_IsRefused(string typed, string expected) => Assert.Equal(expected, Error("read-date", typed));

    [Fact]
    public void Validate_Text_AllowsTwoHundredCharactersButNotMore()
    {
        Assert.Equal(200, Stored("note", new string('n', 200)).Length);
        Assert.Equal("The Note is at most 200 characters.", Error("note", new string('n', 201)));
    }

    [Fact]
    public void Validate_TextWithAControlCharacter_IsRefused() =>
        Assert.Equal("The Note cannot contain control characters.", Error("note", "tab\there"));

    [Theory]
    [InlineData(BespokeFieldType.Mpan, ValidMpan, "12 2301 5956 917")]
    [InlineData(BespokeFieldType.Money, "1234.50", "£1,234.50")]
    [InlineData(BespokeFieldType.Money, "0.00", "£0.00")]
    [InlineData(BespokeFieldType.Date, "2026-03-01", "1 Mar 2026")]
    [InlineData(BespokeFieldType.Text, "hello", "hello")]
    [InlineData(BespokeFieldType.Mpan, "not an mpan", "not an mpan")]
    public void Display_ReadsAsAPersonWouldWriteIt(BespokeFieldType type, string stored, string expected) =>
        Assert.Equal(expected, BespokeValues.Display(type, stored));
}
