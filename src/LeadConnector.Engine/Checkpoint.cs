using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace LeadConnector
{
    /// <summary>Where one unit of a bulk job stands in a <see cref="Checkpoint"/>.</summary>
    public enum CheckpointState
    {
        /// <summary>Not recorded: send it.</summary>
        New,
        /// <summary>Sent before but its answer was never recorded: it may have reached the API.</summary>
        Sent,
        /// <summary>Done in an earlier run: skip it.</summary>
        Done,
    }

    /// <summary>
    /// A position in a bulk job: the input record (0-based, in the order PowerShell handed them over) and the unit within
    /// it (an array of ids in one record is several units).
    /// </summary>
    public readonly struct CheckpointPosition : IComparable<CheckpointPosition>, IEquatable<CheckpointPosition>
    {
        public CheckpointPosition(long record, int unit)
        {
            Record = record;
            Unit = unit;
        }

        public long Record { get; }
        public int Unit { get; }

        public int CompareTo(CheckpointPosition other) => Record != other.Record ? Record.CompareTo(other.Record) : Unit.CompareTo(other.Unit);
        public bool Equals(CheckpointPosition other) => Record == other.Record && Unit == other.Unit;
        public override bool Equals(object? obj) => obj is CheckpointPosition p && Equals(p);
        public override int GetHashCode() => Record.GetHashCode() * 31 + Unit;
        public override string ToString() => Record.ToString(CultureInfo.InvariantCulture) + "." + Unit.ToString(CultureInfo.InvariantCulture);

        internal static bool TryParse(string text, out CheckpointPosition position)
        {
            position = default;
            var dot = text.IndexOf('.');
            if (dot <= 0) return false;
            if (!long.TryParse(text.Substring(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var r)) return false;
            if (!int.TryParse(text.Substring(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var u)) return false;
            position = new CheckpointPosition(r, u);
            return true;
        }
    }

    /// <summary>
    /// How far a bulk job got, kept in a file so a run after a restart goes on where the last one stopped: an append-only
    /// journal, one line per event, each line written whole and handed to the OS at once; the lines a power cut must not lose (a send about to happen, a cursor) are flushed to the disk (fsync) first.
    /// </summary>
    /// <remarks>
    /// <para>Lines: a header <c>lc-checkpoint 1 {fingerprint} {command}</c>, then <c>sent {pos} {hash} {unix ms}</c> before a
    /// unit's request is sent, <c>done {pos} {hash}</c> once its result was written, <c>page {pos} {hash} {returned} {cursor}</c>
    /// after each page of a -All listing, and <c>reset {pos}</c> when a changed input overwrote the job from that position
    /// on. A process killed while writing leaves at most a torn last line: it is ignored, and cut off before the next write.</para>
    /// <para>The fingerprint identifies the job (command and its parameters); each unit's hash identifies its input, so a
    /// resumed run with other input is refused (<see cref="MismatchError"/>) rather than skipping what it never did.</para>
    /// </remarks>
    public sealed class Checkpoint : IDisposable
    {
        /// <summary>The error id a caller uses for a refused resume (the key <see cref="ErrorKey"/> in the exception's Data).</summary>
        public const string MismatchError = "CheckpointMismatch";
        /// <summary>The error id for a file that is not a checkpoint (or is damaged before its last line).</summary>
        public const string CorruptError = "CheckpointCorrupt";
        /// <summary>The key in an LcException's Data that holds the error id.</summary>
        public const string ErrorKey = "LeadConnector.CheckpointError";

        private const string Magic = "lc-checkpoint";
        private const string Version = "1";

        private readonly string _path;
        private FileStream? _stream;
        private readonly Dictionary<CheckpointPosition, Entry> _entries = new Dictionary<CheckpointPosition, Entry>();

        private sealed class Entry
        {
            public CheckpointState State;
            public string Hash = "";
            public DateTimeOffset SentAt;
            public string? Cursor;
            public int Returned;
        }

        private Checkpoint(string path) => _path = path;

        /// <summary>The file.</summary>
        public string Path => _path;

        /// <summary>True when the file recorded this job before (a resumed run).</summary>
        public bool Resumed { get; private set; }

        /// <summary>How many units the file records as done.</summary>
        public int DoneCount
        {
            get
            {
                int n = 0;
                foreach (var e in _entries.Values) if (e.State == CheckpointState.Done) n++;
                return n;
            }
        }

        /// <summary>
        /// Opens (or creates) the checkpoint of the job <paramref name="fingerprint"/>. A file that records another job is
        /// refused (LcException, Data[<see cref="ErrorKey"/>] = <see cref="MismatchError"/>) unless <paramref name="overwrite"/>:
        /// then it is started over for this job. IOException when the file cannot be opened (another run holds it).
        /// </summary>
        public static Checkpoint Open(string path, string fingerprint, string command, bool overwrite)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            var cp = new Checkpoint(path);
            var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            // One run at a time: the file stays open for writing, shared for reading only.
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.None);
            try
            {
                var (lines, complete) = ReadLines(stream);
                string recorded = "", recordedCommand = "";
                var headerOk = lines.Count > 0 && TryHeader(lines[0], out recorded, out recordedCommand);
                if (lines.Count == 0)
                {
                    StartOver(stream, fingerprint, command);
                }
                else if (!headerOk)
                {
                    // Only a torn header: the job never got further. A damaged checkpoint is started over on request; any
                    // other file (a CSV given by mistake) is never written over.
                    var first = lines[0].TrimEnd('\u0000');
                    var tornHeader = lines.Count == 1 && lines[0].EndsWith("\u0000", StringComparison.Ordinal)
                        && (Magic.StartsWith(first, StringComparison.Ordinal) || first.StartsWith(Magic + " ", StringComparison.Ordinal));
                    if (tornHeader || (overwrite && first.StartsWith(Magic + " ", StringComparison.Ordinal))) StartOver(stream, fingerprint, command);
                    else throw Error(CorruptError, $"'{path}' is not a LeadConnector checkpoint (or it is damaged): it is left as it is. Give another -CheckpointPath, or remove the file.");
                }
                else if (!string.Equals(recorded, fingerprint, StringComparison.Ordinal))
                {
                    if (!overwrite)
                        throw Error(MismatchError, $"The checkpoint '{path}' records another job ({recordedCommand} with other parameters), not this one. " +
                            "Run that command to finish it, give another -CheckpointPath, or add -OverwriteCheckpoint to start this job over in that file.");
                    StartOver(stream, fingerprint, command);
                }
                else
                {
                    for (int i = 1; i < lines.Count; i++)
                        if (!(i == lines.Count - 1 && lines[i].EndsWith("\u0000", StringComparison.Ordinal)) && !cp.Apply(lines[i])) // a torn last line: ignored
                        {
                            throw Error(CorruptError, $"The checkpoint '{path}' is damaged at line {i + 1}. Remove it to start the job over.");
                        }
                    cp.Resumed = true;
                    // Cut off a torn last line so the next line starts on its own.
                    stream.SetLength(complete);
                    stream.Seek(0, SeekOrigin.End);
                }
                cp._stream = stream;
                return cp;
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Where the unit at <paramref name="position"/> stands, checked against its input's <paramref name="hash"/>. A
        /// recorded unit with another hash is other input: refused (<see cref="MismatchError"/>) unless
        /// <paramref name="overwrite"/>, which voids what the file records from this position on.
        /// </summary>
        public CheckpointState Check(CheckpointPosition position, string hash, bool overwrite, out DateTimeOffset sentAt)
        {
            sentAt = default;
            if (!_entries.TryGetValue(position, out var e)) return CheckpointState.New;
            if (!string.Equals(e.Hash, hash, StringComparison.Ordinal))
            {
                if (!overwrite)
                    throw Error(MismatchError, $"The input at position {position} differs from the one the checkpoint '{_path}' recorded for this job: " +
                        "this is not the same job. Run it with its own input to finish it, give another -CheckpointPath, or add -OverwriteCheckpoint " +
                        "to go on with this input (what the file recorded from this position on is dropped).");
                Append("reset " + position);
                Reset(position);
                return CheckpointState.New;
            }
            sentAt = e.SentAt;
            return e.State;
        }

        /// <summary>Records, durably, that the unit's request is about to be sent. Call before sending.</summary>
        public void Sent(CheckpointPosition position, string hash, DateTimeOffset at)
        {
            var ms = at.ToUnixTimeMilliseconds();
            Append($"sent {position} {hash} {ms.ToString(CultureInfo.InvariantCulture)}");
            _entries[position] = new Entry { State = CheckpointState.Sent, Hash = hash, SentAt = DateTimeOffset.FromUnixTimeMilliseconds(ms) };
        }

        /// <summary>Records that the unit is done (its result was written).</summary>
        public void Done(CheckpointPosition position, string hash)
        {
            Append($"done {position} {hash}", durable: false);
            if (_entries.TryGetValue(position, out var e)) e.State = CheckpointState.Done;
            else _entries[position] = new Entry { State = CheckpointState.Done, Hash = hash };
        }

        /// <summary>The cursor recorded after the last page of a listing was written, if any.</summary>
        public bool TryGetPage(CheckpointPosition position, out string cursor, out int returned)
        {
            cursor = "";
            returned = 0;
            if (!_entries.TryGetValue(position, out var e) || e.Cursor == null) return false;
            cursor = e.Cursor;
            returned = e.Returned;
            return true;
        }

        /// <summary>Records, durably, the cursor of a listing's next page once the items before it were written.</summary>
        public void Page(CheckpointPosition position, string hash, string cursor, int returned)
        {
            var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(cursor));
            Append($"page {position} {hash} {returned.ToString(CultureInfo.InvariantCulture)} {encoded}");
            _entries[position] = new Entry { State = CheckpointState.Sent, Hash = hash, Cursor = cursor, Returned = returned };
        }

        /// <summary>The job finished: the file is removed.</summary>
        public void Complete()
        {
            _stream?.Dispose();
            _stream = null;
            File.Delete(_path);
        }

        /// <summary>Closes the file and keeps it (the job did not finish).</summary>
        public void Dispose()
        {
            _stream?.Dispose();
            _stream = null;
        }

        /// <summary>The fingerprint of a job: a hash of its command and its parameters' canonical text.</summary>
        public static string Fingerprint(string text) => Hash(text, 32);

        /// <summary>The hash of one unit's input (its canonical text).</summary>
        public static string ItemHash(string text) => Hash(text, 16);

        private static string Hash(string text, int chars)
        {
            using (var sha = SHA256.Create())
            {
                var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(text ?? ""));
                var sb = new StringBuilder(chars);
                for (int i = 0; sb.Length < chars; i++) sb.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
                return sb.ToString();
            }
        }

        private void Append(string line, bool durable = true)
        {
            if (_stream == null) throw new ObjectDisposedException(nameof(Checkpoint));
            var bytes = Encoding.UTF8.GetBytes(line + "\n");
            _stream.Write(bytes, 0, bytes.Length); // one write per line: a kill leaves whole lines and at most one torn last one
            // To the OS at once (a killed process loses nothing); to the disk (fsync) unless losing it is harmless: a lost
            // "done" after a power cut only makes the next run look the unit up again.
            _stream.Flush(durable);
        }

        private void Reset(CheckpointPosition from)
        {
            var drop = new List<CheckpointPosition>();
            foreach (var p in _entries.Keys) if (p.CompareTo(from) >= 0) drop.Add(p);
            foreach (var p in drop) _entries.Remove(p);
        }

        private bool Apply(string line)
        {
            var parts = line.Split(' ');
            if (parts.Length < 2 || !CheckpointPosition.TryParse(parts[1], out var pos)) return false;
            switch (parts[0])
            {
                case "sent" when parts.Length == 4 && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var ms):
                    _entries[pos] = new Entry { State = CheckpointState.Sent, Hash = parts[2], SentAt = DateTimeOffset.FromUnixTimeMilliseconds(ms) };
                    return true;
                case "done" when parts.Length == 3:
                    if (_entries.TryGetValue(pos, out var e) && e.Hash == parts[2]) e.State = CheckpointState.Done;
                    else _entries[pos] = new Entry { State = CheckpointState.Done, Hash = parts[2] };
                    return true;
                case "page" when parts.Length == 5 && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var returned):
                    string cursor;
                    try { cursor = Encoding.UTF8.GetString(Convert.FromBase64String(parts[4])); }
                    catch (FormatException) { return false; }
                    _entries[pos] = new Entry { State = CheckpointState.Sent, Hash = parts[2], Cursor = cursor, Returned = returned };
                    return true;
                case "reset" when parts.Length == 2:
                    Reset(pos);
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>The file's lines (a last one without its newline included: it may be torn) and the length of the complete ones.</summary>
        private static (List<string> Lines, long Complete) ReadLines(FileStream stream)
        {
            stream.Seek(0, SeekOrigin.Begin);
            var bytes = new byte[stream.Length];
            int read = 0;
            while (read < bytes.Length)
            {
                var n = stream.Read(bytes, read, bytes.Length - read);
                if (n == 0) break;
                read += n;
            }
            var lines = new List<string>();
            long complete = 0;
            int start = 0;
            for (int i = 0; i < read; i++)
            {
                if (bytes[i] != (byte)'\n') continue;
                lines.Add(Encoding.UTF8.GetString(bytes, start, i - start));
                start = i + 1;
                complete = start;
            }
            if (start < read) lines.Add(Encoding.UTF8.GetString(bytes, start, read - start) + "\u0000"); // torn: never parses
            return (lines, complete);
        }

        private static bool TryHeader(string line, out string fingerprint, out string command)
        {
            fingerprint = command = "";
            var parts = line.Split(' ');
            if (parts.Length != 4 || parts[0] != Magic || parts[1] != Version) return false;
            fingerprint = parts[2];
            command = parts[3];
            return true;
        }

        private static void StartOver(FileStream stream, string fingerprint, string command)
        {
            stream.SetLength(0);
            stream.Seek(0, SeekOrigin.Begin);
            var bytes = Encoding.UTF8.GetBytes($"{Magic} {Version} {fingerprint} {command}\n");
            stream.Write(bytes, 0, bytes.Length);
            stream.Flush(true);
        }

        private static LcException Error(string id, string message)
        {
            var ex = new LcException(LcErrorKind.InvalidInput, message);
            ex.Data[ErrorKey] = id;
            return ex;
        }
    }
}
