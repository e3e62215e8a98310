using System;
using System.Threading;
using LeadConnector.Engine;

namespace LeadConnector
{
    /// <summary>The process-wide current connection, shared by every runspace of the process.</summary>
    public static class ConnectionStore
    {
        private static Connection? _current;

        public static Connection? Current => Volatile.Read(ref _current);

        public static void Set(Connection? connection) => Volatile.Write(ref _current, connection);
    }
}
