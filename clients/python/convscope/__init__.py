"""convscope: log training runs from any Python framework to a convscope API.

    import convscope
    with convscope.init(project="fmnist", config={"lr": 1e-3}) as run:
        run.log({"loss": 0.41, "accuracy": 0.85}, step=0)
        run.log_predictions(labels, probabilities, class_names, images=images)

Standard library only. The API URL comes from ``api_url`` or env CONVSCOPE_API_URL (default
http://localhost:4000), the key from ``api_key`` or env CONVSCOPE_API_KEY.
"""
from ._http import ConvscopeError, Transport
from .run import Run, init, samples_artifact_name

__all__ = ["ConvscopeError", "Run", "Transport", "init", "samples_artifact_name"]
__version__ = "0.1.0"
