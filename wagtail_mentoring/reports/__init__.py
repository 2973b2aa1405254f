"""Coordinator reports with CSV and XLSX export."""
