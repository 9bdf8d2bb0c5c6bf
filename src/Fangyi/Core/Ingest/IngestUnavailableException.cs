namespace Fangyi.Core.Ingest;

public sealed class IngestUnavailableException : Exception
{
    public IngestUnavailableException()
    {
    }

    public IngestUnavailableException(string message) : base(message)
    {
    }

    public IngestUnavailableException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
