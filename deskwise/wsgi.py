import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deskwise.settings")
application = get_wsgi_application()

# Everything loaded so far lives as long as the process: keep the collector
# from walking it on every cycle, and let it run less often; a request makes
# many short-lived objects and few cycles.
gc.collect()
gc.freeze()
gc.set_threshold(50_000, 50, 100)
