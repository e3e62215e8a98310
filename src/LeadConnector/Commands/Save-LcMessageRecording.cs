using System.Management.Automation;

namespace LeadConnector.Commands
{
    /// <summary>
    /// Save-LcMessageRecording: GET /conversations/messages/{id}/locations/{locationId}/recording, streamed to a file
    /// (never held in memory; the file appears only once whole). -Path is a file, or a folder to save into under the
    /// answer's file name (Content-Disposition). An existing file is refused unless -Force.
    /// </summary>
    /// <remarks>Binding: -Id binds a message's Id (or MessageId), -LocationId its LocationId.</remarks>
    [Cmdlet(VerbsData.Save, "LcMessageRecording")]
    [OutputType(typeof(MessageRecording))]
    public sealed class SaveLcMessageRecordingCommand : LcBulkCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [LcId(LcIdKind.Message)]
        [Alias("MessageId")]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = "";

        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(LocationIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string? LocationId { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void Process()
        {
            var id = Id;
            if (!TryPrepare(() => new MessageOperations(Session).Recording(id, LocationId), id, out var download)) return;
            var full = GetUnresolvedProviderPathFromPSPath(Path);
            if (Path.EndsWith("/") || Path.EndsWith("\\")) full = full.TrimEnd('/', '\\') + System.IO.Path.DirectorySeparatorChar;
            // -CheckpointPath: a recording an earlier run saved is skipped (not refused as an existing file), and one it
            // may have been saving is saved again over what it left.
            var unit = NextUnitState(id);
            try
            {
                if (unit == CheckpointState.New) download.Check(full, Force.IsPresent);
            }
            catch (LcException ex)
            {
                Drain();
                var exists = ex.Data.Contains(Engine.FileSink.FileExistsKey);
                WriteError(ErrorMap.Record(ex, exists ? "FileExists" : "InvalidPath", exists ? ErrorCategory.ResourceExists : ErrorCategory.InvalidArgument, full));
                return;
            }
            var force = Force.IsPresent || unit == CheckpointState.Sent;
            Start(call => download.SaveAsync(full, force, call), id, saved =>
            {
                WriteVerbose($"Saved the recording of message {id} to {saved.Path} ({saved.Length} bytes).");
                WriteObject(saved);
            });
        }
    }
}
