using System;
using System.Collections.Generic;
using System.Linq;
using LeadConnector.Commands;

namespace LeadConnector.Tests.Infrastructure
{
    /// <summary>Thrown by the recorder where PowerShell would stop the pipeline with a terminating error.</summary>
    public sealed class RecordedTerminatingError : Exception
    {
        internal RecordedTerminatingError(LcErrorInfo error) : base(error.Message) => Error = error;
        internal LcErrorInfo Error { get; }
    }

    /// <summary>Records everything a cmdlet says, in order, as a PowerShell user would see it.</summary>
    internal sealed class CmdletRecorder : ICmdletIO
    {
        private readonly object _sync = new object();
        public List<object> Output { get; } = new List<object>();
        public List<LcErrorInfo> Errors { get; } = new List<LcErrorInfo>();
        public LcErrorInfo? Terminating { get; private set; }
        public List<string> Verbose { get; } = new List<string>();
        public List<string> Debug { get; } = new List<string>();
        public List<string> Warnings { get; } = new List<string>();
        public List<LcProgressInfo> Progress { get; } = new List<LcProgressInfo>();
        public List<(string Target, string Action)> ShouldProcessCalls { get; } = new List<(string, string)>();
        /// <summary>Which thread wrote; every write must come from the pipeline thread.</summary>
        public HashSet<int> WriterThreads { get; } = new HashSet<int>();

        /// <summary>The answer ShouldProcess gives (false = the user said no, or -WhatIf).</summary>
        public bool ShouldProcessAnswer { get; set; } = true;
        public bool WhatIf { get; set; }
        public bool ConfirmExplicit { get; set; }

        private void Note() { lock (_sync) WriterThreads.Add(Environment.CurrentManagedThreadId); }

        public void WriteObject(object value) { Note(); Output.Add(value); }
        public void WriteError(LcErrorInfo error) { Note(); Errors.Add(error); }
        public void ThrowTerminatingError(LcErrorInfo error) { Note(); Terminating = error; throw new RecordedTerminatingError(error); }
        public bool ShouldProcess(string target, string action) { Note(); ShouldProcessCalls.Add((target, action)); return ShouldProcessAnswer && !WhatIf; }
        public void WriteVerbose(string message) { Note(); Verbose.Add(message); }
        public void WriteDebug(string message) { Note(); Debug.Add(message); }
        public void WriteWarning(string message) { Note(); Warnings.Add(message); }
        public void WriteProgress(LcProgressInfo progress) { Note(); Progress.Add(progress); }

        public IEnumerable<T> OutputOf<T>() => Output.OfType<T>();

        /// <summary>Every string any stream carried, for secret scans.</summary>
        public IEnumerable<string> AllText()
        {
            foreach (var o in Output) yield return o?.ToString() ?? "";
            foreach (var e in Errors.Concat(Terminating == null ? Array.Empty<LcErrorInfo>() : new[] { Terminating }))
            {
                yield return e.Message;
                yield return e.Exception.ToString();
                yield return e.Target?.ToString() ?? "";
                yield return e.RecommendedAction ?? "";
            }
            foreach (var s in Verbose.Concat(Debug).Concat(Warnings)) yield return s;
            foreach (var p in Progress) yield return p.Activity + " " + p.Status;
            foreach (var c in ShouldProcessCalls) yield return c.Target + " " + c.Action;
        }
    }
}
