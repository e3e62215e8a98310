using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>Remove-LcContact: DELETE /contacts/{contactId}. Asks first unless -Force.</summary>
    /// <remarks>
    /// Binding: a contact id string by value; -ContactId by property name, where a conversation's or a message's
    /// ContactId wins over the Id alias, and a contact binds its Id.
    /// </remarks>
    [Cmdlet(VerbsCommon.Remove, "LcContact", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveLcContactCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Contact)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string ContactId { get; set; } = "";

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void Process()
        {
            var id = ContactId;
            if (!TryPrepare(() => new ContactOperations(Session).Delete(id), id, out var delete)) return;
            if (!ShouldProcessOrForce($"contact {id}", "Remove contact", Force.IsPresent)) return;
            Start(delete, id, _ => WriteVerbose($"Removed contact {id}."));
        }
    }
}
