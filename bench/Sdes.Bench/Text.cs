using System.Globalization;
using System.Text;

namespace Sdes.Bench;

/// <summary>Subjects, message bodies and tags from a small vocabulary, so search terms have known, varied selectivity:
/// "meter" is in nearly every communication, "reading" and "estimate" in many, "tribunal" in about 1 in 5,000 messages,
/// and each MPAN in one communication (two parties).</summary>
internal static class Text
{
    public const string CommonWord = "meter";
    public const string RareWord = "tribunal";
    public const string TwoWords = "reading estimate";

    private static readonly string[] Sentences =
    [
        "We have received a meter reading of {n5} for the meter at {addr}.",
        "Please confirm the meter serial number and the last actual reading.",
        "The customer {name} disputes the opening reading taken on {date}.",
        "Our records show the supply transferred to us on {date} in error.",
        "Could you confirm whether the meter was exchanged before the change of supply?",
        "The account balance of £{money} should be transferred to the new supplier.",
        "We are happy to accept the estimate and will update our billing.",
        "The site visit found a smart meter operating in credit mode.",
        "Please can you provide an update by {date}.",
        "Thank you for your response, we will close this on our side.",
        "The customer has asked us to raise an objection to the transfer.",
        "We cannot agree the reading as it is lower than the previous actual reading.",
        "Attached is a photo of the meter display taken by the customer.",
        "Our field engineer will attend on {date} to investigate.",
        "The prepayment top up of £{money} was applied to the wrong meter.",
        "Please reissue the final bill using the agreed reading.",
        "We have logged this under our internal reference {code}.",
        "The debt of £{money} is eligible for assignment under the protocol.",
        "Apologies for the delay in responding, we are still investigating.",
        "The customer is on the priority services register.",
        "Can you confirm the estimated annual consumption for this supply?",
        "The address details held for this metering point are incomplete.",
        "We will amend the registration data and notify the data collector.",
        "The customer at {addr} reports no supply since {date}.",
        "Please escalate this to your team leader if it cannot be resolved this week.",
        "The reading estimate was based on historic consumption.",
        "The customer {name} called again today and is unhappy with the progress.",
        "We agree with your proposal and will issue a corrected statement.",
    ];

    // Sentences that are rare on purpose: (probability per message, sentence).
    private static readonly (double P, string Sentence)[] Rare =
    [
        (0.0002, "The customer mentioned an upcoming tribunal hearing about this account."),
        (0.0005, "There is asbestos in the meter cupboard so access is restricted."),
        (0.001, "The property suffered flooding last winter and the meter was replaced."),
        (0.002, "The estate is in probate and the executor is handling the account."),
    ];

    private static readonly string[] Streets =
    [
        "Elm Road", "Station Street", "Church Lane", "Mill Close", "Victoria Avenue", "Park Terrace", "High Street", "Orchard Way",
        "Kings Drive", "Meadow View", "Bridge Street", "Chapel Row", "Queens Walk", "Willow Crescent", "Harbour Road",
    ];

    private static readonly string[] Surnames =
    [
        "Adams", "Bennett", "Carter", "Dixon", "Ellis", "Foster", "Gray", "Harris", "Irwin", "Jenkins", "Kelly", "Lawson", "Mason",
        "Norris", "Oliver", "Parker", "Reid", "Shaw", "Turner", "Vaughan", "Ward", "Wright", "Yates", "Brennan", "Campbell",
    ];

    private static readonly string[] Filler =
    [
        "account", "customer", "supply", "please", "confirm", "date", "balance", "transfer", "bill", "credit", "debit", "payment",
        "tariff", "contract", "letter", "call", "email", "visit", "engineer", "access", "address", "postcode", "flat", "building",
        "landlord", "tenant", "occupier", "move", "registration", "objection", "agreed", "update", "query", "response", "team",
        "manager", "review", "backlog", "statement", "refund", "charge", "standing", "unit", "rate", "consumption", "annual",
        "quarter", "monthly", "direct", "debit", "cheque", "voucher", "token", "topup", "key", "card", "display", "register",
        "dial", "digits", "serial", "install", "exchange", "removal", "fault", "safety", "seal", "tamper", "theft", "bypass",
        "warrant", "court", "solicitor", "executor", "probate", "bereavement", "vulnerable", "medical", "equipment", "heating",
        "boiler", "radiator", "storage", "economy", "seven", "night", "day", "peak", "export", "solar", "panel", "battery",
        "vehicle", "charger", "network", "cable", "fuse", "cutout", "substation", "outage", "restoration", "voltage", "phase",
        "single", "three", "profile", "class", "timeswitch", "code", "line", "loss", "factor", "settlement", "agent", "collector",
        "aggregator", "operator", "asset", "provider", "industry", "flow", "file", "rejected", "accepted", "pending", "closed",
        "opened", "escalated", "resolved", "duplicate", "crossed", "wrong", "incorrect", "missing", "late", "early", "urgent",
        "routine", "standard", "exception", "manual", "automatic", "system", "portal", "spreadsheet", "attachment", "photo",
        "evidence", "proof", "signature", "identity", "verification", "consent", "authority", "third", "party", "broker", "council",
        "housing", "association", "student", "property", "commercial", "domestic", "micro", "business", "site", "premises", "unit",
    ];

    private static readonly string[] TagWords =
    [
        "urgent", "vulnerable", "complaint", "ombudsman", "backlog", "priority-services", "site-visit", "q4-review", "awaiting-customer",
    ];

    private static readonly double[] FillerCumulative = Cumulative(Filler.Length, 1.0);
    private static readonly double[] SentenceCumulative = Cumulative(Sentences.Length, 0.3);

    public static string Mpan(ref Rng rng, string distributor)
    {
        Span<char> digits = stackalloc char[13];
        digits[0] = distributor[0];
        digits[1] = distributor[1];
        for (var i = 2; i < 12; i++)
        {
            digits[i] = (char)('0' + rng.Int(10));
        }

        digits[12] = (char)('0' + Sdes.Domain.Metering.Mpan.CheckDigit(digits[..12]));
        return new string(digits);
    }

    public static string Mprn(ref Rng rng) => rng.Between(1_000_000, 2_000_000_000).ToString(CultureInfo.InvariantCulture);

    public static string Date(ref Rng rng) =>
        World.Now.AddDays(-rng.Int(400)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Money(ref Rng rng) => (rng.Int(500_000) / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    public static string CustomerName(ref Rng rng) => (rng.Chance(0.5) ? "Mr " : "Ms ") + rng.Pick(Surnames);

    public static string Address(ref Rng rng) => rng.Between(1, 180).ToString(CultureInfo.InvariantCulture) + " " + rng.Pick(Streets);

    public static string Subject(ref Rng rng, string processName, string? mpan) => rng.Int(5) switch
    {
        0 => $"{processName}: {Address(ref rng)}",
        1 => $"{processName} - {CustomerName(ref rng)}",
        2 when mpan is not null => $"MPAN {mpan} - {processName}",
        3 => $"Re: {Word(ref rng)} {Word(ref rng)} at {Address(ref rng)}",
        _ => $"{processName} ({Date(ref rng)})",
    };

    public static string Message(ref Rng rng, string? mpan, string? mprn)
    {
        var text = new StringBuilder(400);
        var count = rng.Between(2, 5);
        for (var i = 0; i < count; i++)
        {
            Append(text, Fill(ref rng, Sentences[rng.Weighted(SentenceCumulative)]));
        }

        if (mpan is not null && rng.Chance(0.3))
        {
            Append(text, $"The MPAN is {mpan} and the address is {Address(ref rng)}.");
        }

        if (mprn is not null && rng.Chance(0.3))
        {
            Append(text, $"The MPRN {mprn} appears to be registered to the wrong address.");
        }

        foreach (var (p, sentence) in Rare)
        {
            if (rng.Chance(p))
            {
                Append(text, sentence);
            }
        }

        if (rng.Chance(0.3))
        {
            text.Append("\nNotes:");
            var words = rng.Between(3, 10);
            for (var i = 0; i < words; i++)
            {
                text.Append(' ').Append(Word(ref rng));
            }
        }

        return text.ToString();
    }

    public static string Tags(ref Rng rng)
    {
        var first = rng.Pick(TagWords);
        if (!rng.Chance(0.3))
        {
            return first;
        }

        var second = rng.Chance(0.5) ? "batch-" + rng.Int(60).ToString(CultureInfo.InvariantCulture) : rng.Pick(TagWords);
        return second == first ? first : first + "\n" + second;
    }

    public static string Attachments(ref Rng rng) => rng.Int(3) switch
    {
        0 => "meter-photo.jpg",
        1 => "final-bill.pdf",
        _ => "meter-photo.jpg, statement.pdf",
    };

    private static string Word(ref Rng rng) => Filler[rng.Weighted(FillerCumulative)];

    private static void Append(StringBuilder text, string sentence)
    {
        if (text.Length > 0)
        {
            text.Append(' ');
        }

        text.Append(sentence);
    }

    private static string Fill(ref Rng rng, string template)
    {
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }

        var s = template;
        s = s.Replace("{n5}", rng.Between(10000, 99999).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        s = s.Replace("{addr}", Address(ref rng), StringComparison.Ordinal);
        s = s.Replace("{name}", CustomerName(ref rng), StringComparison.Ordinal);
        s = s.Replace("{date}", Date(ref rng), StringComparison.Ordinal);
        s = s.Replace("{money}", Money(ref rng), StringComparison.Ordinal);
        s = s.Replace("{code}", "INC-" + rng.Between(100000, 999999).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return s;
    }

    /// <summary>Zipf-like weights 1/(rank+1)^s as a cumulative table.</summary>
    private static double[] Cumulative(int count, double s)
    {
        var cumulative = new double[count];
        var total = 0.0;
        for (var i = 0; i < count; i++)
        {
            total += 1.0 / Math.Pow(i + 1, s);
            cumulative[i] = total;
        }

        return cumulative;
    }
}
