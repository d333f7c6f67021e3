//! Sends requests to an MLflow server from the browser (gloo-net).
