using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace Sdes.App.Features.Audit;

/// <summary>The audit trail for MAUs/admins (their organisation) and operators (all). The filters live in the URL, so a
/// view can be bookmarked; the circuit holds one page of rows and the cursors back to the first page, nothing more.</summary>
public partial class AuditLog
{
    public const int PageSize = 50;
    private const string DateFormat = "yyyy-MM-dd";

    private static readonly DateTime Earliest = AuditFilter.EarliestDate.ToDateTime(TimeOnly.MinValue);
    private static readonly DateTime Latest = AuditFilter.LatestDate.ToDateTime(TimeOnly.MinValue);

    private readonly Stack<AuditCursor?> _history = new();
    private IReadOnlyList<OrganisationOption> _organisations = [];
    private AuditPage? _page;
    private AuditFilter _filter = new();
    private AuditCursor? _current;
    private string? _problem;
    private bool _loading;

    [Inject]
    private AuditQueries Audit { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The page's own path, where filter changes navigate to.</summary>
    [Parameter, EditorRequired]
    public string BasePath { get; set; } = "/admin/audit";

    [Parameter]
    public bool IsOperatorView { get; set; }

    [SupplyParameterFromQuery(Name = "user")]
    private string? User { get; set; }

    [SupplyParameterFromQuery(Name = "action")]
    private string? Action { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    private string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    private string? To { get; set; }

    [SupplyParameterFromQuery(Name = "org")]
    private string? Org { get; set; }

    private DateTime? FromDate => ParseDate(From);
    private DateTime? ToDate => ParseDate(To);

    private string ExportHref => Navigation.GetUriWithQueryParameters("/admin/audit/export.csv", Query());

    protected override async Task OnInitializedAsync()
    {
        if (IsOperatorView)
        {
            await TryAsync(async p => _organisations = await Audit.OrganisationsAsync(p));
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        _history.Clear();
        _current = null;
        _page = null;
        if (!AuditEndpoints.TryParseFilter(User, Action, From, To, Org, out _filter, out var problem))
        {
            _problem = problem;
            return;
        }

        _problem = null;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _loading = true;
        try
        {
            if (!await TryAsync(async p => _page = await Audit.SearchAsync(p, _filter, _current, PageSize)))
            {
                _problem = "The audit trail could not be shown with these filters.";
            }
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task Older()
    {
        if (_loading || _page?.Next is not { } next)
        {
            return;
        }

        _history.Push(_current);
        _current = next;
        await LoadAsync();
    }

    private async Task Newer()
    {
        if (_loading || _history.Count == 0)
        {
            return;
        }

        _current = _history.Pop();
        await LoadAsync();
    }

    private Dictionary<string, object?> Query() =>
        new() { ["user"] = User, ["action"] = Action, ["from"] = From, ["to"] = To, ["org"] = Org };

    private void Set(string key, string? value)
    {
        var query = Query();
        query[key] = string.IsNullOrWhiteSpace(value) ? null : value;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(BasePath, query));
    }

    private static DateTime? ParseDate(string? value) =>
        DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d.ToDateTime(TimeOnly.MinValue) : null;

    private static string? Iso(DateTime? d) => d?.ToString(DateFormat, CultureInfo.InvariantCulture);
}
