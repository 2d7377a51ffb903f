"""Reading corpora and writing results.

readers.py (``read``, ``read_many``: directory, txt/md, JSONL, JSON, CSV, Parquet, stdin), records.py
(decoding, field detection, dates), writers.py (``write``, ``render``: table, JSONL, CSV, Parquet, JSON),
rows.py (the written rows), table.py (the rich table), atomic.py (atomic file writes).
"""
