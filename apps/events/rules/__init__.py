"""Pure rules that turn sentences into event parts: dates, quantities."""
