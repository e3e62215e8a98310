using System;
using System.Reflection;
using System.Threading.Tasks;

namespace LeadConnector.Desktop.Tests
{
    /// <summary>Named cases: one line each ("PASS name" or "FAIL name: reason"), then exactly one "N passed, N failed".</summary>
    internal sealed class Harness
    {
        private int _passed;
        private int _failed;

        public void Run(string name, Action body) => RunAsync(name, () =>
        {
            body();
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

        public async Task RunAsync(string name, Func<Task> body)
        {
            try
            {
                await body();
            }
            catch (Exception ex)
            {
                _failed++;
                Console.WriteLine($"FAIL {name}: {Reason(ex)}");
                return;
            }
            _passed++;
            Console.WriteLine($"PASS {name}");
        }

        /// <summary>Prints the count line; the exit code is 1 when any case failed.</summary>
        public int Finish()
        {
            Console.WriteLine($"{_passed} passed, {_failed} failed");
            return _failed == 0 ? 0 : 1;
        }

        public static void Check(bool condition, string failure)
        {
            if (!condition) throw Failure(failure);
        }

        /// <summary>The exception that fails a case with just this reason.</summary>
        public static Exception Failure(string reason) => new CheckFailed(reason);

        private static string Reason(Exception ex)
        {
            if (ex is TargetInvocationException { InnerException: { } inner }) ex = inner;
            var text = ex is CheckFailed ? ex.Message : ex.GetType().FullName + ": " + ex.Message;
            return text.Replace("\r", " ").Replace("\n", " ");
        }

        private sealed class CheckFailed : Exception
        {
            public CheckFailed(string message) : base(message) { }
        }
    }
}
