using Microsoft.AspNetCore.Components;
using MudBlazor;
using Sdes.Domain.Communications;
using Sdes.Domain.Processes;

namespace Sdes.App.Features.Communications;

/// <summary>Spec 10.1(c): from which role, which process, to whom, subject, the process's bespoke items (checked field by
/// field, as the domain checks them), message and tag; shows the reference once sent.</summary>
public sealed partial class SendCommunication
{
    private readonly List<BreadcrumbItem> _crumbs = [new("Communications", "/communications"), new("New", null, disabled: true)];
    private SendOptions? _options;
    private IReadOnlyList<RecipientOption> _recipients = [];
    private SendForm _form = new();
    private Dictionary<string, string> _fieldErrors = [];
    private string? _sent;
    private bool _busy;
    private bool _uploading;

    [Inject] private CommunicationQueries Queries { get; set; } = default!;
    [Inject] private CommunicationService Communications { get; set; } = default!;

    private ProcessOption? Process => _options?.Processes.FirstOrDefault(p => p.Code == _form.ProcessCode);

    private IEnumerable<ProcessOption> ProcessesForRole
    {
        get
        {
            var role = _options?.FromRoles.FirstOrDefault(r => r.Value == _form.FromRole);
            return role is null ? [] : _options!.Processes.Where(p => p.Roles.Contains(role.Role));
        }
    }

    protected override async Task OnInitializedAsync()
    {
        await TryAsync(async p =>
        {
            _options = await Queries.SendOptionsAsync(p);
            if (_options.FromRoles.Count == 1)
            {
                _form.FromRole = _options.FromRoles[0].Value;
            }
        });
    }

    private async Task FromRoleChangedAsync(string value)
    {
        _form.FromRole = value;
        if (!ProcessesForRole.Any(p => p.Code == _form.ProcessCode))
        {
            _form.ProcessCode = null;
        }

        await LoadRecipientsAsync();
    }

    private async Task ProcessChangedAsync(string value)
    {
        _form.ProcessCode = value;
        _form.Bespoke = new Dictionary<string, string?>(StringComparer.Ordinal);
        _fieldErrors = [];
        await LoadRecipientsAsync();
    }

    private async Task LoadRecipientsAsync()
    {
        _recipients = [];
        if (_form.FromRole is not null && _form.ProcessCode is not null)
        {
            await TryAsync(async p => _recipients = await Queries.RecipientsAsync(p, _form.FromRole, _form.ProcessCode));
        }

        if (_recipients.All(r => r.Value != _form.Recipient))
        {
            _form.Recipient = _recipients.Count == 1 ? _recipients[0].Value : null;
        }
    }

    private string? Bespoke(string key) => _form.Bespoke.GetValueOrDefault(key);

    private void SetBespoke(string key, string? value)
    {
        _form.Bespoke[key] = value;
        _fieldErrors.Remove(key);
    }

    private static string? Hint(BespokeFieldType type) => type switch
    {
        BespokeFieldType.Mpan => "13 digits (or the full 21-digit MPAN); the check digit is verified",
        BespokeFieldType.Mprn => "6 to 10 digits",
        BespokeFieldType.Money => "Pounds and pence, e.g. 125.50",
        _ => null,
    };

    private async Task SendAsync()
    {
        if (_uploading)
        {
            Snackbar.Add("Wait for the files to finish uploading.", MudBlazor.Severity.Warning);
            return;
        }

        if (Process is { } process)
        {
            var input = process.Fields.ToDictionary(f => f.Key, f => _form.Bespoke.GetValueOrDefault(f.Key), StringComparer.Ordinal);
            var (_, errors) = BespokeValues.Validate(process.Name, process.Fields, input);
            _fieldErrors = errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            if (_fieldErrors.Count > 0)
            {
                return;
            }

            _form.Bespoke = input;
        }

        _busy = true;
        try
        {
            var form = _form;
            await TryAsync(async p => _sent = await Communications.SendAsync(p, form));
        }
        finally
        {
            _busy = false;
        }
    }

    private void OnAttachmentsChanged(IReadOnlyList<Guid> ids) => _form.Attachments = [.. ids];

    private void OnUploadingChanged(bool uploading) => _uploading = uploading;

    private void StartAgain()
    {
        _sent = null;
        _form = new SendForm { FromRole = _form.FromRole };
        _fieldErrors = [];
        _recipients = [];
    }
}
