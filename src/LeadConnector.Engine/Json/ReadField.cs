using System;
using System.Text.Json;

namespace LeadConnector.Engine
{
    /// <summary>Reads the value at the current token into <paramref name="target"/>, leaving the reader on its last token.</summary>
    internal delegate void ReadField<in T>(ref JsonSource source, T target);
}
