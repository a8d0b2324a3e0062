using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Sdes.App.Features.Shared;
using Sdes.Domain.Common;
using Sdes.Infrastructure.Notifications;

namespace Sdes.App.Features.Communications;

/// <summary>The queue (spec 10.1(a)). The URL holds the whole view, so every filter can be bookmarked and shared.</summary>
public sealed partial class CommunicationList
{
    private CommunicationPage? _page;
    private ListOptions? _options;
    private string? _error;
    private string? _search;

    [Inject] private CommunicationQueries Queries { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private CommunicationLive Live { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "q")] public string? Q { get; set; }
    [SupplyParameterFromQuery(Name = "folder")] public string? FolderParam { get; set; }
    [SupplyParameterFromQuery(Name = "direction")] public string? DirectionParam { get; set; }
    [SupplyParameterFromQuery(Name = "process")] public string? ProcessParam { get; set; }
    [SupplyParameterFromQuery(Name = "with")] public string? WithParam { get; set; }
    [SupplyParameterFromQuery(Name = "mine")] public bool? MineParam { get; set; }
    [SupplyParameterFromQuery(Name = "level")] public int? LevelParam { get; set; }
    [SupplyParameterFromQuery(Name = "sort")] public string? SortParam { get; set; }
    [SupplyParameterFromQuery(Name = "after")] public string? AfterParam { get; set; }

    private CommunicationFilter Filter { get; set; } = new();

    private bool IsFiltered => !string.IsNullOrWhiteSpace(Filter.Search) || Filter.Direction != DirectionFilter.All || Filter.ProcessCode is not null
        || Filter.Counterparty is not null || Filter.AssignedToMe || Filter.MyLevel is not null;

    private string SortKey => (Filter.Sort == ListSort.Created ? "created" : "last") + (Filter.Ascending ? "-asc" : "-desc");

    private string ArchivedLabel => _page?.ArchivedUnread > 0
        ? $"Archived, {_page.ArchivedUnread} with unread messages"
        : "Archived";

    private string ClearUri => Uri(new CommunicationFilter { Folder = Filter.Folder });
    private string FirstPageUri => Uri(Filter with { After = null });
    private string NextPageUri => Uri(Filter with { After = _page?.NextCursor });

    protected override void OnInitialized() => Live.Activity += OnActivityAsync;

    protected override async Task OnParametersSetAsync()
    {
        Filter = new CommunicationFilter
        {
            Search = Blank(Q),
            Folder = string.Equals(FolderParam, "archived", StringComparison.OrdinalIgnoreCase) ? Folder.Archived : Folder.Active,
            Direction = DirectionParam?.ToLowerInvariant() switch { "sent" => DirectionFilter.Sent, "received" => DirectionFilter.Received, _ => DirectionFilter.All },
            ProcessCode = Blank(ProcessParam),
            Counterparty = Guid.TryParse(WithParam, out var with) ? with : null,
            AssignedToMe = MineParam == true,
            MyLevel = LevelParam is >= 1 and <= 5 ? LevelParam : null,
            Sort = SortParam?.StartsWith("created", StringComparison.OrdinalIgnoreCase) == true ? ListSort.Created : ListSort.LastMessage,
            Ascending = SortParam?.EndsWith("-asc", StringComparison.OrdinalIgnoreCase) == true,
            After = Blank(AfterParam),
        };
        _search = Filter.Search;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var principal = await PrincipalAsync();
        try
        {
            _options ??= await Queries.ListOptionsAsync(principal);
            _page = await Queries.ListAsync(principal, Filter);
            _error = null;
        }
        catch (DomainException ex)
        {
            _error = ex.Message;
        }
        catch (NotFoundException ex)
        {
            _error = ex.Message;
        }
    }

    private Task OnActivityAsync(CommunicationActivity activity) => InvokeAsync(async () =>
    {
        await LoadAsync();
        StateHasChanged();
    });

    private void Apply(CommunicationFilter filter) => Navigation.NavigateTo(Uri(filter with { After = null }));

    private void ApplySearch() => Apply(Filter with { Search = Blank(_search) });

    private void OnSearchKey(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            ApplySearch();
        }
    }

    private void ApplySort(string key) => Apply(Filter with
    {
        Sort = key.StartsWith("created", StringComparison.Ordinal) ? ListSort.Created : ListSort.LastMessage,
        Ascending = key.EndsWith("-asc", StringComparison.Ordinal),
    });

    private string FolderUri(Folder folder) => Uri(Filter with { Folder = folder, After = null });

    private string Uri(CommunicationFilter f) => Navigation.GetUriWithQueryParameters("/communications", new Dictionary<string, object?>
    {
        ["q"] = f.Search,
        ["folder"] = f.Folder == Folder.Archived ? "archived" : null,
        ["direction"] = f.Direction == DirectionFilter.All ? null : f.Direction.ToString().ToLowerInvariant(),
        ["process"] = f.ProcessCode,
        ["with"] = f.Counterparty?.ToString(),
        ["mine"] = f.AssignedToMe ? "true" : null,
        ["level"] = f.MyLevel,
        ["sort"] = f.Sort == ListSort.LastMessage && !f.Ascending ? null : (f.Sort == ListSort.Created ? "created" : "last") + (f.Ascending ? "-asc" : "-desc"),
        ["after"] = f.After,
    });

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public void Dispose() => Live.Activity -= OnActivityAsync;
}
