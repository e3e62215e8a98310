using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Security;
using System.Threading;

namespace LeadConnector.Tests.Infrastructure
{
    /// <summary>
    /// A real, in-process PowerShell runspace with the built LeadConnector module imported (the layout from
    /// src/LeadConnector/bin/&lt;Configuration&gt;/module). <see cref="Run"/> runs a script and returns every stream.
    /// Not thread-safe: one session per thread. Objects that come out are PSObjects: read them with
    /// <see cref="PsResult.Prop"/>, never as the test's compile-time LeadConnector types.
    /// </summary>
    public sealed class PsSession : IDisposable
    {
        /// <summary>The manifest the test project was built against (AssemblyMetadata "LcModuleManifest").</summary>
        public static string ModuleManifest { get; } =
            typeof(PsSession).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LcModuleManifest").Value!;

        private readonly Runspace _runspace;

        public PsSession()
        {
            Host = new TestHost();
            var iss = InitialSessionState.CreateDefault2();
            iss.ImportPSModule(new[] { ModuleManifest });
            _runspace = RunspaceFactory.CreateRunspace(Host, iss);
            _runspace.Open();
            var errors = _runspace.SessionStateProxy.PSVariable.GetValue("Error") as System.Collections.ArrayList;
            if (errors != null && errors.Count > 0) throw new InvalidOperationException("Import-Module failed: " + errors[0]);
        }

        /// <summary>The host: answers -Confirm prompts from <see cref="TestHostUI.Answers"/> and records what it was shown.</summary>
        public TestHost Host { get; }

        /// <summary>
        /// Runs <paramref name="script"/> with the given variables set. Verbose and Debug are on (preferences
        /// 'Continue') unless the script changes them. A terminating error ends the script and is returned in
        /// <see cref="PsResult.Terminating"/>. Host text and prompts of this run are in the result. To press Ctrl+C, see
        /// <see cref="RunAndStop"/>.
        /// </summary>
        public PsResult Run(string script, IDictionary<string, object?>? variables = null)
        {
            using var ps = Prepare(script, variables);
            var result = new PsResult();
            try
            {
                result.Output.AddRange(ps.Invoke());
            }
            catch (PipelineStoppedException ex)
            {
                result.Stopped = ex;
            }
            catch (RuntimeException ex)
            {
                result.Terminating = ex.ErrorRecord;
                result.TerminatingException = ex;
            }
            Collect(ps, result);
            return result;
        }

        /// <summary>
        /// Runs <paramref name="script"/> like <see cref="Run(string, IDictionary{string, object?}?)"/> and presses Ctrl+C
        /// (PowerShell.Stop from another thread) as soon as <paramref name="stopWhen"/> is true: a state the test needs
        /// (requests at the emulator, a line written), never a fixed time, which a busy machine can make too short.
        /// <paramref name="stopWhen"/> is polled every 10 ms from a thread of its own and sees what the run has written so
        /// far. Output written before the stop is kept. Fails, naming <paramref name="waitingFor"/>, when the state does not
        /// come within <paramref name="limit"/> (default <see cref="Waiting.Limit"/>) or the run ends before it.
        /// <see cref="PsResult.StopToEnd"/> is how long the run took to end after Ctrl+C.
        /// </summary>
        public PsResult RunAndStop(string script, IDictionary<string, object?>? variables, Func<PsLive, bool> stopWhen, string waitingFor,
            TimeSpan? limit = null)
        {
            using var ps = Prepare(script, variables);
            var result = new PsResult();
            var live = new PsLive();
            using var output = new PSDataCollection<PSObject>();
            output.DataAdded += (_, e) => live.Add(output[e.Index]);
            ps.Streams.Verbose.DataAdded += (s, e) => live.Add(((PSDataCollection<VerboseRecord>)s!)[e.Index]);
            ps.Streams.Progress.DataAdded += (s, e) => live.Add(((PSDataCollection<ProgressRecord>)s!)[e.Index]);

            var max = limit ?? Waiting.Limit;
            using var ended = new ManualResetEventSlim(false);
            bool met = false, timedOut = false;
            Exception? conditionFailed = null;
            Stopwatch? sinceStop = null;
            var poller = new Thread(() =>
            {
                var clock = Stopwatch.StartNew();
                while (!ended.Wait(10))
                {
                    try { met = stopWhen(live); }
                    catch (Exception ex) { conditionFailed = ex; }
                    timedOut = !met && conditionFailed == null && clock.Elapsed > max;
                    if (met || timedOut || conditionFailed != null)
                    {
                        sinceStop = Stopwatch.StartNew();
                        ps.BeginStop(null, null);
                        return;
                    }
                }
            }) { IsBackground = true, Name = "RunAndStop" };
            poller.Start();
            try
            {
                ps.Invoke(null, output);
            }
            catch (PipelineStoppedException ex)
            {
                result.Stopped = ex;
            }
            catch (RuntimeException ex)
            {
                result.Terminating = ex.ErrorRecord;
                result.TerminatingException = ex;
            }
            ended.Set();
            poller.Join();
            result.StopToEnd = sinceStop?.Elapsed;
            result.Output.AddRange(output);
            Collect(ps, result);
            if (conditionFailed != null) throw new Xunit.Sdk.XunitException($"Waiting for {waitingFor} failed: {conditionFailed}");
            if (timedOut) throw new Xunit.Sdk.XunitException($"Waited {max.TotalSeconds:0} s for {waitingFor} to press Ctrl+C; it did not happen. {result}");
            if (!met) throw new Xunit.Sdk.XunitException($"The run ended before {waitingFor}, so Ctrl+C was never pressed. {result}");
            return result;
        }

        private PowerShell Prepare(string script, IDictionary<string, object?>? variables)
        {
            Host.TestUI.Clear();
            var proxy = _runspace.SessionStateProxy;
            proxy.SetVariable("VerbosePreference", ActionPreference.Continue);
            proxy.SetVariable("DebugPreference", ActionPreference.Continue);
            proxy.SetVariable("WhatIfPreference", false);
            proxy.SetVariable("ConfirmPreference", ConfirmImpact.High);
            proxy.SetVariable("ErrorActionPreference", ActionPreference.Continue);
            if (variables != null)
                foreach (var (name, value) in variables) proxy.SetVariable(name, value);

            var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            // A cmdlet's terminating error only ends its statement, and the script would go on; the try/catch makes it
            // end the run, and rethrown it reaches us as a RuntimeException carrying the cmdlet's ErrorRecord.
            ps.AddScript("try {\n" + script + "\n} catch { throw }");
            return ps;
        }

        private void Collect(PowerShell ps, PsResult result)
        {
            result.Errors.AddRange(ps.Streams.Error);
            result.Warning.AddRange(ps.Streams.Warning.Select(w => w.Message));
            result.Verbose.AddRange(ps.Streams.Verbose.Select(v => v.Message));
            result.Debug.AddRange(ps.Streams.Debug.Select(d => d.Message));
            result.Progress.AddRange(ps.Streams.Progress);
            result.Information.AddRange(ps.Streams.Information);
            result.Prompts.AddRange(Host.TestUI.Prompts);
            result.HostText.AddRange(Host.TestUI.Lines);
            if (ps.InvocationStateInfo.State == PSInvocationState.Stopped && result.Stopped == null)
                result.Stopped = new PipelineStoppedException();
        }

        /// <summary>Runs <paramref name="script"/> with variables given as (name, value) pairs.</summary>
        public PsResult Run(string script, params (string Name, object? Value)[] variables) =>
            Run(script, variables.ToDictionary(v => v.Name, v => v.Value));

        /// <summary>
        /// Connect-Lc -PassThru to the emulator (which also makes it the process-wide current connection) and returns the
        /// connection as PowerShell gave it, to pass back with -Connection. Retries are fast: -RetryDelaySec 0.02.
        /// </summary>
        public PSObject Connect(EmulatorFixture emu, string token = Emulator.Seed.AlphaToken, string? location = Emulator.Seed.AlphaLocation,
            int maxRetries = 3, int timeoutSec = 10, int maxRetryTimeSec = 60, double retryDelaySec = 0.02) =>
            Connect(emu.BaseUri, token, location, maxRetries, timeoutSec, maxRetryTimeSec, retryDelaySec);

        public PSObject Connect(Uri baseUri, string token, string? location, int maxRetries = 3, int timeoutSec = 10, int maxRetryTimeSec = 60,
            double retryDelaySec = 0.02)
        {
            var r = Run("Connect-Lc -AccessToken $t -BaseUri $u -MaxRetries $m -TimeoutSec $to -MaxRetryTimeSec $mt -RetryDelaySec $d -PassThru -SkipValidation -Quiet" +
                    (location == null ? "" : " -LocationId $l"),
                ("t", token), ("u", baseUri), ("m", maxRetries), ("to", timeoutSec), ("mt", maxRetryTimeSec), ("d", retryDelaySec), ("l", location));
            if (r.Terminating != null) throw new InvalidOperationException("Connect-Lc failed: " + r.Terminating);
            return Assert.Single(r.Output);
        }

        public void Dispose()
        {
            _runspace.Dispose();
        }
    }

    /// <summary>What a run has written so far, for <see cref="PsSession.RunAndStop"/> to decide when to press Ctrl+C. Thread-safe.</summary>
    public sealed class PsLive
    {
        private readonly object _sync = new object();
        private readonly List<PSObject> _output = new List<PSObject>();
        private readonly List<string> _verbose = new List<string>();
        private readonly List<ProgressRecord> _progress = new List<ProgressRecord>();

        internal void Add(PSObject o) { lock (_sync) _output.Add(o); }
        internal void Add(VerboseRecord v) { lock (_sync) _verbose.Add(v.Message); }
        internal void Add(ProgressRecord p) { lock (_sync) _progress.Add(p); }

        public PSObject[] Output { get { lock (_sync) return _output.ToArray(); } }
        public string[] Verbose { get { lock (_sync) return _verbose.ToArray(); } }
        public ProgressRecord[] Progress { get { lock (_sync) return _progress.ToArray(); } }
    }

    /// <summary>Everything one run said, stream by stream.</summary>
    public sealed class PsResult
    {
        public List<PSObject> Output { get; } = new List<PSObject>();
        /// <summary>Non-terminating errors (the error stream).</summary>
        public List<ErrorRecord> Errors { get; } = new List<ErrorRecord>();
        /// <summary>The error that ended the script (a terminating error), if any.</summary>
        public ErrorRecord? Terminating { get; set; }
        public RuntimeException? TerminatingException { get; set; }
        /// <summary>Set when the run was stopped (Ctrl+C).</summary>
        public PipelineStoppedException? Stopped { get; set; }
        /// <summary>With <see cref="PsSession.RunAndStop"/>: how long the run took to end after Ctrl+C was pressed.</summary>
        public TimeSpan? StopToEnd { get; set; }
        public List<string> Warning { get; } = new List<string>();
        public List<string> Verbose { get; } = new List<string>();
        public List<string> Debug { get; } = new List<string>();
        public List<ProgressRecord> Progress { get; } = new List<ProgressRecord>();
        public List<InformationRecord> Information { get; } = new List<InformationRecord>();
        /// <summary>-Confirm prompts shown: caption and message (message = the ShouldProcess action and target).</summary>
        public List<(string Caption, string Message)> Prompts { get; } = new List<(string, string)>();
        /// <summary>Text written to the host UI (e.g. "What if: ..." lines).</summary>
        public List<string> HostText { get; } = new List<string>();

        /// <summary>Non-terminating errors, then the terminating one.</summary>
        public IEnumerable<ErrorRecord> AllErrors => Terminating == null ? Errors : Errors.Append(Terminating);

        /// <summary>The error id: the first part of FullyQualifiedErrorId ("ApiNotFound,LeadConnector.Commands.Get...").</summary>
        public static string ErrorId(ErrorRecord e) => e.FullyQualifiedErrorId.Split(',')[0];

        /// <summary>A property of an error's exception (e.g. StatusCode of LeadConnector.LcException), through PowerShell's adapter.</summary>
        public static object? ExProp(ErrorRecord e, string name) => Unwrap(PSObject.AsPSObject(e.Exception).Properties[name]?.Value);

        /// <summary>The ids of the non-terminating errors.</summary>
        public List<string> ErrorIds => Errors.Select(ErrorId).ToList();

        /// <summary>The "What if:" lines.</summary>
        public IEnumerable<string> WhatIf => HostText.Where(t => t.StartsWith("What if:", StringComparison.Ordinal));

        /// <summary>A property of an output object, read through PowerShell's adapter.</summary>
        public static object? Prop(PSObject o, string name) => Unwrap(o.Properties[name]?.Value);

        public static string? Str(PSObject o, string name) => Prop(o, name)?.ToString();

        private static object? Unwrap(object? v) => v is PSObject p ? p.BaseObject : v;

        /// <summary>A property of each output object.</summary>
        public IEnumerable<object?> Values(string name) => Output.Select(o => Prop(o, name));

        /// <summary>The Id of each output object.</summary>
        public List<string?> Ids => Output.Select(o => Str(o, "Id")).ToList();

        /// <summary>The output objects whose type (PSObject.TypeNames) is <paramref name="typeFullName"/>.</summary>
        public List<PSObject> OfType(string typeFullName) => Output.Where(o => o.TypeNames.Contains(typeFullName)).ToList();

        /// <summary>Every string any stream carried, for secret scans: errors in every form, host text, prompts.</summary>
        public IEnumerable<string> AllText()
        {
            foreach (var o in Output) yield return o?.ToString() ?? "";
            foreach (var e in AllErrors)
            {
                yield return e.ToString();
                yield return e.FullyQualifiedErrorId;
                yield return e.CategoryInfo.ToString();
                yield return e.Exception.ToString();
                for (var x = e.Exception; x != null; x = x.InnerException) yield return x.Message;
                yield return e.ErrorDetails?.Message ?? "";
                yield return e.ErrorDetails?.RecommendedAction ?? "";
                yield return e.TargetObject?.ToString() ?? "";
                yield return e.InvocationInfo?.Line ?? "";
            }
            if (TerminatingException != null) yield return TerminatingException.ToString();
            foreach (var s in Verbose.Concat(Debug).Concat(Warning).Concat(HostText)) yield return s;
            foreach (var p in Progress) yield return p.Activity + " " + p.StatusDescription + " " + p.CurrentOperation;
            foreach (var i in Information) yield return i.MessageData?.ToString() ?? "";
            foreach (var (caption, message) in Prompts) yield return caption + " " + message;
        }

        public override string ToString() =>
            $"{Output.Count} out; errors: {string.Join(" | ", AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e))}";
    }

    /// <summary>A host whose UI answers prompts from a script and records what it shows.</summary>
    public sealed class TestHost : PSHost
    {
        private readonly TestHostUI _ui = new TestHostUI();
        public override string Name => "LeadConnectorTestHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => _ui;
        public TestHostUI TestUI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    /// <summary>
    /// Answers PromptForChoice (the -Confirm prompt) from <see cref="Answers"/>: each answer is a choice's hot key or
    /// label ("Y", "A" = Yes to All, "N", "L" = No to All). An unanswered prompt fails the run. Records every prompt
    /// and every line written.
    /// </summary>
    public sealed class TestHostUI : PSHostUserInterface
    {
        private readonly object _sync = new object();
        private string _partial = "";

        public Queue<string> Answers { get; } = new Queue<string>();
        public List<(string Caption, string Message)> Prompts { get; } = new List<(string, string)>();
        public List<string> Lines { get; } = new List<string>();

        internal void Clear()
        {
            lock (_sync) { Prompts.Clear(); Lines.Clear(); _partial = ""; }
        }

        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            lock (_sync) Prompts.Add((caption, message));
            if (Answers.Count == 0) throw new InvalidOperationException($"Unexpected prompt: {caption}: {message}");
            var answer = Answers.Dequeue();
            for (int i = 0; i < choices.Count; i++)
            {
                var label = choices[i].Label;
                var amp = label.IndexOf('&');
                var hotKey = amp >= 0 && amp + 1 < label.Length ? label[amp + 1].ToString() : "";
                if (string.Equals(answer, hotKey, StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(answer, label.Replace("&", ""), StringComparison.OrdinalIgnoreCase))
                    return i;
            }
            throw new InvalidOperationException($"No choice '{answer}' among {string.Join(", ", choices.Select(c => c.Label))}");
        }

        private void Line(string text)
        {
            lock (_sync) { Lines.Add(_partial + text); _partial = ""; }
        }

        public override void Write(string value) { lock (_sync) _partial += value; }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);
        public override void WriteLine(string value) => Line(value);
        public override void WriteErrorLine(string value) => Line(value);
        public override void WriteDebugLine(string message) => Line("DEBUG: " + message);
        public override void WriteVerboseLine(string message) => Line("VERBOSE: " + message);
        public override void WriteWarningLine(string message) => Line("WARNING: " + message);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override string ReadLine() => throw new NotSupportedException("no interactive input in tests");
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("no interactive input in tests");
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException($"Unexpected prompt: {caption}: {message}");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("no credential prompts in tests");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("no credential prompts in tests");
    }
}
