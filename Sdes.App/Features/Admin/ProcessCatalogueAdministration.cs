using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.App.Features.Shared;
using Sdes.Domain.Processes;

namespace Sdes.App.Features.Admin;

public sealed record ProcessRow(Guid Id, string Code, string Name, Fuel Fuel, bool QuickResponse, bool CanEscalate,
    IReadOnlyList<ResponseWindow?> Levels, IReadOnlyList<ProcessRoute> Routes, IReadOnlyList<BespokeFieldDefinition> Fields);

/// <summary>The service operator maintains the business process catalogue: names, levels, windows, bespoke fields.</summary>
public sealed class ProcessCatalogueAdministration(AdminOperation operation, TimeProvider time)
{
    public Task<IReadOnlyList<ProcessRow>> ListAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            var processes = await c.Db.BusinessProcesses.AsNoTracking().ToListAsync(c.Ct);
            return (IReadOnlyList<ProcessRow>)processes.OrderBy(p => p.Name, StringComparer.Ordinal).Select(ToRow).ToList();
        }, ct);

    public Task UpdateAsync(ClaimsPrincipal principal, Guid processId, ProcessForm form, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            if (!c.Actor.IsOperator)
            {
                throw c.Deny("BusinessProcess", processId.ToString());
            }

            FormValidation.Validate(form);
            form.Levels.ForEach(FormValidation.Validate);
            form.Fields.ForEach(FormValidation.Validate);
            var process = await c.Db.BusinessProcesses.FirstOrDefaultAsync(p => p.Id == new ProcessId(processId), c.Ct)
                ?? throw new NotFoundException();
            var newTop = form.Levels.Count;
            if (newTop < process.TopLevel)
            {
                var orgs = await c.Db.Organisations.AsNoTracking().ToListAsync(c.Ct);
                DomainException.ThrowIf(orgs.Any(o => o.Assignments.Any(a => a.ProcessId == process.Id && a.Level > newTop)),
                    $"Users are still assigned to {process.Name} above level {newTop}. Their MAUs must unassign them first.");
            }

            process.Rename(form.Name);
            process.ChangeQuickResponse(form.QuickResponse);
            process.ChangeLevels(form.Levels.Select(l => form.Levels.Count == 1 && !l.HasWindow ? null : ResponseWindow.Create(l.Amount, l.Unit)));
            process.DefineBespokeFields(form.Fields.Select(f => BespokeFieldDefinition.Create(f.Key, f.Label, f.Type, f.Required,
                f.Choices.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));
            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.ProcessUpdated, time.GetUtcNow(), c.Actor.Ref, null, "BusinessProcess",
                process.Id.ToString(), process.Code, process));
        }, ct);

    public static ProcessForm ToForm(ProcessRow row) => new()
    {
        Name = row.Name,
        QuickResponse = row.QuickResponse,
        Levels = row.Levels.Select(l => l is null
            ? new LevelForm { HasWindow = false }
            : new LevelForm { HasWindow = true, Amount = l.Amount, Unit = l.Unit }).ToList(),
        Fields = row.Fields.Select(f => new FieldForm
        {
            Key = f.Key, Label = f.Label, Type = f.Type, Required = f.Required, Choices = string.Join('\n', f.Choices),
        }).ToList(),
    };

    private static ProcessRow ToRow(BusinessProcess p) =>
        new(p.Id.Value, p.Code, p.Name, p.Fuel, p.QuickResponse, p.CanEscalate, p.Levels, p.Routes, p.BespokeFields);
}
