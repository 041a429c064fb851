/*
 * vigil-service.exe: runs `node main.js run ...` as a Windows service.
 *
 * node.exe does not speak the Service Control Manager protocol, so SCM would kill it after 30 s (error 1053).
 * This wrapper does: it reports to SCM, starts the command given after `--` inside a job object (so node and
 * anything it spawns die with the service), appends node's stdout and stderr to the `--log` file, and:
 *   - on SERVICE_CONTROL_STOP / SHUTDOWN: sends CTRL_BREAK to node (Node's SIGBREAK; the agent stops cleanly),
 *     waits up to --stop-timeout-ms, then terminates the job; reports SERVICE_STOPPED with exit code 0;
 *   - when node exits by itself: reports SERVICE_STOPPED with a service-specific error (node's exit code, or 1),
 *     so the `sc.exe failure` actions restart the service (`sc.exe failureflag Vigil 1`).
 * Run from a console (not by SCM) it runs the command in the foreground, for debugging.
 *
 * With --state-dir it sets VIGIL_STATE_DIR for node (the agent then knows it runs as a service and where
 * status.json goes).
 *
 * Usage: vigil-service.exe [--name Vigil] [--log FILE] [--state-dir DIR] [--stop-timeout-ms 15000] -- node.exe main.js run ...
 * Build: x86_64-w64-mingw32-gcc -municode -O2 -Wall -Wextra -Werror -static -o vigil-service.exe
 *        vigil-service.c -ladvapi32
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

#define MAX_CMDLINE 32767

static wchar_t g_name[256] = L"Vigil";
static const wchar_t *g_log = NULL;
static DWORD g_stop_timeout_ms = 15000;
static wchar_t g_cmdline[MAX_CMDLINE];

static SERVICE_STATUS_HANDLE g_status_handle = NULL;
static SERVICE_STATUS g_status;
static HANDLE g_stop_event = NULL;

/* Appends one argument to `out` quoted as CommandLineToArgvW parses it back. */
static int append_arg(wchar_t *out, size_t cap, size_t *len, const wchar_t *arg) {
    int needs_quotes = arg[0] == L'\0' || wcspbrk(arg, L" \t\n\v\"") != NULL;
    size_t need = wcslen(arg) * 2 + 4;
    if (*len + need >= cap) return -1;
    if (*len > 0) out[(*len)++] = L' ';
    if (!needs_quotes) {
        wcscpy(out + *len, arg);
        *len += wcslen(arg);
        return 0;
    }
    out[(*len)++] = L'"';
    for (const wchar_t *p = arg;; p++) {
        size_t backslashes = 0;
        while (*p == L'\\') {
            p++;
            backslashes++;
        }
        if (*p == L'\0') {
            for (size_t i = 0; i < backslashes * 2; i++) out[(*len)++] = L'\\';
            break;
        }
        if (*p == L'"') {
            for (size_t i = 0; i < backslashes * 2 + 1; i++) out[(*len)++] = L'\\';
        } else {
            for (size_t i = 0; i < backslashes; i++) out[(*len)++] = L'\\';
        }
        out[(*len)++] = *p;
    }
    out[(*len)++] = L'"';
    out[*len] = L'\0';
    return 0;
}

static void report(DWORD state, DWORD win32_exit, DWORD specific_exit, DWORD wait_hint) {
    static DWORD checkpoint = 1;
    if (g_status_handle == NULL) return;
    g_status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    g_status.dwCurrentState = state;
    g_status.dwWin32ExitCode = win32_exit;
    g_status.dwServiceSpecificExitCode = specific_exit;
    g_status.dwWaitHint = wait_hint;
    g_status.dwControlsAccepted = state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
    g_status.dwCheckPoint = (state == SERVICE_RUNNING || state == SERVICE_STOPPED) ? 0 : checkpoint++;
    SetServiceStatus(g_status_handle, &g_status);
}

static DWORD WINAPI control_handler(DWORD control, DWORD event_type, LPVOID event_data, LPVOID context) {
    (void)event_type;
    (void)event_data;
    (void)context;
    switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
        report(SERVICE_STOP_PENDING, NO_ERROR, 0, g_stop_timeout_ms + 5000);
        SetEvent(g_stop_event);
        return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
        return NO_ERROR;
    default:
        return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

/* Starts the command in a kill-on-close job; returns its exit code, or a negative value on a start failure. */
static long run_child(HANDLE stop_event) {
    HANDLE job = CreateJobObjectW(NULL, NULL);
    if (job == NULL) return -1;
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
    ZeroMemory(&limits, sizeof limits);
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits);

    STARTUPINFOW si;
    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    HANDLE log = INVALID_HANDLE_VALUE;
    if (g_log != NULL) {
        SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
        log = CreateFileW(g_log, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        if (log != INVALID_HANDLE_VALUE) {
            si.dwFlags = STARTF_USESTDHANDLES;
            si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
            si.hStdOutput = log;
            si.hStdError = log;
        }
    }
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessW(NULL, g_cmdline, NULL, NULL, log != INVALID_HANDLE_VALUE, CREATE_SUSPENDED | CREATE_NEW_PROCESS_GROUP | CREATE_UNICODE_ENVIRONMENT, NULL, NULL, &si, &pi);
    if (log != INVALID_HANDLE_VALUE) CloseHandle(log);
    if (!ok) {
        CloseHandle(job);
        return -2;
    }
    AssignProcessToJobObject(job, pi.hProcess);
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    report(SERVICE_RUNNING, NO_ERROR, 0, 0);

    HANDLE waits[2] = {pi.hProcess, stop_event};
    DWORD which = WaitForMultipleObjects(stop_event != NULL ? 2 : 1, waits, FALSE, INFINITE);
    long code;
    if (which == WAIT_OBJECT_0 + 1) {
        /* Asked to stop: CTRL_BREAK reaches only node's own process group. */
        GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, pi.dwProcessId);
        if (WaitForSingleObject(pi.hProcess, g_stop_timeout_ms) != WAIT_OBJECT_0) TerminateJobObject(job, 1);
        code = 0;
    } else {
        DWORD exit_code = 1;
        GetExitCodeProcess(pi.hProcess, &exit_code);
        code = exit_code == 0 ? 1 : (long)exit_code; /* the agent never exits on its own: a failure */
    }
    CloseHandle(pi.hProcess);
    CloseHandle(job); /* kills whatever node left behind */
    return code;
}

static void WINAPI service_main(DWORD argc, LPWSTR *argv) {
    (void)argc;
    (void)argv;
    g_status_handle = RegisterServiceCtrlHandlerExW(g_name, control_handler, NULL);
    if (g_status_handle == NULL) return;
    report(SERVICE_START_PENDING, NO_ERROR, 0, 10000);
    g_stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    /* A console of our own (hidden: services have no desktop) so that CTRL_BREAK can be delivered to node. */
    AllocConsole();
    SetConsoleCtrlHandler(NULL, TRUE);
    long code = run_child(g_stop_event);
    if (code == 0) report(SERVICE_STOPPED, NO_ERROR, 0, 0);
    else report(SERVICE_STOPPED, ERROR_SERVICE_SPECIFIC_ERROR, code < 0 ? (DWORD)(1000 - code) : (DWORD)code, 0);
}

static int usage(void) {
    fwprintf(stderr, L"usage: vigil-service.exe [--name NAME] [--log FILE] [--state-dir DIR] [--stop-timeout-ms MS] -- COMMAND [ARGS...]\n");
    return 2;
}

int wmain(int argc, wchar_t **argv) {
    int i = 1;
    for (; i < argc; i++) {
        if (wcscmp(argv[i], L"--") == 0) {
            i++;
            break;
        }
        if (i + 1 >= argc) return usage();
        if (wcscmp(argv[i], L"--name") == 0) {
            wcsncpy(g_name, argv[++i], 255);
            g_name[255] = L'\0';
        } else if (wcscmp(argv[i], L"--log") == 0) {
            g_log = argv[++i];
        } else if (wcscmp(argv[i], L"--state-dir") == 0) {
            SetEnvironmentVariableW(L"VIGIL_STATE_DIR", argv[++i]);
        } else if (wcscmp(argv[i], L"--stop-timeout-ms") == 0) {
            g_stop_timeout_ms = (DWORD)wcstoul(argv[++i], NULL, 10);
        } else {
            return usage();
        }
    }
    if (i >= argc) return usage();
    size_t len = 0;
    g_cmdline[0] = L'\0';
    for (; i < argc; i++) {
        if (append_arg(g_cmdline, MAX_CMDLINE, &len, argv[i]) != 0) {
            fwprintf(stderr, L"vigil-service: command line too long\n");
            return 2;
        }
    }
    SERVICE_TABLE_ENTRYW table[] = {{g_name, service_main}, {NULL, NULL}};
    if (StartServiceCtrlDispatcherW(table)) return 0;
    if (GetLastError() != ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) return 1;
    /* Not started by SCM: run in the foreground (Ctrl+Break reaches node: it has its own process group). */
    long code = run_child(NULL);
    return code < 0 ? 1 : (int)code;
}
