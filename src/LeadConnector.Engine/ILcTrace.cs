
namespace LeadConnector
{
    /// <summary>
    /// Receives what the engine has to say about a call. The engine may call it from any thread;
    /// a host that can only write on one thread queues the messages (the cmdlet base class does).
    /// </summary>
    public interface ILcTrace
    {
        void Verbose(string message);
        void Debug(string message);
    }
}
