"""The review pack's printed outputs, one layer below the faces: the XLSX workbook of the quarter's tables
(`workbook`: xlsxwriter, real number formats, text always written as text) and the PDF printed from the
HTML pack by the system Chromium through Playwright (`pdf`: no browser download, no network).

The faces (the review page's button, the `report` command) call these; nothing here imports Streamlit.
"""
