using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace LeadConnector.Desktop.Tests
{
    /// <summary>
    /// The engine's public API, reached by reflection and dynamic: this program is not compiled against the engine, so
    /// every engine type comes from the assembly the resolver served.
    /// </summary>
    internal sealed class Engine
    {
        private const string Token = "pit-alpha-0123456789abcdef";
        public const string Location = "loc-alpha";

        private readonly Assembly _assembly;

        public Engine(Assembly assembly) => _assembly = assembly;

        public Type Type(string name) => _assembly.GetType("LeadConnector." + name, throwOnError: true)!;

        public dynamic New(string type, params object[] args) => Activator.CreateInstance(Type(type), args)!;

        /// <summary>A call context with no cancellation and no trace (default(LcCall)).</summary>
        public dynamic Call => Activator.CreateInstance(Type("LcCall"))!;

        /// <summary>Connection.Create for the seeded tenant alpha; no retries, so a failure shows at once.</summary>
        public dynamic Connect(Uri baseUri)
        {
            dynamic options = New("ConnectionOptions");
            options.AccessToken = Token;
            options.LocationId = Location;
            options.BaseUri = baseUri;
            options.MaxRetries = 0;
            options.TimeoutSec = 30;
            return Unwrapped(() => Type("Connection").GetMethod("Create")!.Invoke(null, new object[] { options }));
        }

        /// <summary>
        /// Reads every page, as the cmdlets' -All does: a CursorPager of <paramref name="itemType"/> with the page size
        /// limits of <paramref name="operations"/> drives <paramref name="fetch"/> (limit, cursor) until it is done.
        /// </summary>
        public async Task<(List<dynamic> Items, int Pages, int? Total)> ReadAll(string itemType, string operations, int pageSize,
            Func<int?, string?, Task<dynamic>> fetch)
        {
            var limits = Type(operations);
            var pagerType = Type("CursorPager`1").MakeGenericType(Type(itemType));
            dynamic pager = Unwrapped(() => pagerType.GetConstructors().Single().Invoke(new object?[]
            {
                pageSize, null, true, limits.GetField("DefaultPageSize")!.GetValue(null), limits.GetField("MaxPageSize")!.GetValue(null),
            }));
            var items = new List<dynamic>();
            var pages = 0;
            while (!pager.Done)
            {
                int? limit = pager.NextLimit();
                string? cursor = pager.Cursor;
                foreach (var item in pager.Accept(await fetch(limit, cursor))) items.Add(item);
                pages++;
            }
            int? total = pager.Total;
            return (items, pages, total);
        }

        /// <summary>Runs a reflection call and throws what the engine threw, not the TargetInvocationException around it.</summary>
        private static object Unwrapped(Func<object> invoke)
        {
            try
            {
                return invoke();
            }
            catch (TargetInvocationException ex) when (ex.InnerException != null)
            {
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        }
    }
}
