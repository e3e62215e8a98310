using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Get-LcMessageTranscription: a call's transcription, as typed sentences
    /// (GET /conversations/locations/{locationId}/messages/{id}/transcription), or with -AsText the text the API
    /// offers for download (GET .../transcription/download).
    /// </summary>
    /// <remarks>Binding: -Id binds a message's Id (or MessageId), -LocationId its LocationId.</remarks>
    [Cmdlet(VerbsCommon.Get, "LcMessageTranscription")]
    [OutputType(typeof(TranscriptionSentence), typeof(string))]
    public sealed class GetLcMessageTranscriptionCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Message)]
        [Alias("MessageId")]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string? LocationId { get; set; }

        [Parameter]
        public SwitchParameter AsText { get; set; }

        protected override void Process()
        {
            var id = Id;
            var ops = new MessageOperations(Session);
            if (AsText.IsPresent)
            {
                if (TryPrepare(() => ops.TranscriptionText(id, LocationId), id, out var text)) Start(text, id, t => WriteObject(t));
            }
            else if (TryPrepare(() => ops.Transcription(id, LocationId), id, out var sentences))
                Start(sentences, id, list => { foreach (var s in list) WriteObject(s); });
        }
    }
}
